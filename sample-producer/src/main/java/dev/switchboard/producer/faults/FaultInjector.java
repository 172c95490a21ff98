package dev.switchboard.producer.faults;

import dev.switchboard.producer.ProducerProperties;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Holds the current {@link FaultSettings} and carries them out: the filter asks it what to do with each
 * request; the admin endpoint replaces the settings at run time, so a lab can slow down, break or hang one
 * replica without restarting it.
 */
@Component
public class FaultInjector implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final ProcessExit processExit;
    private final ScheduledExecutorService timer;
    private final AtomicLong requestsSinceSet = new AtomicLong();
    private volatile FaultSettings settings;
    private volatile Instant setAt = Instant.now();
    /** Non-null while hanging: requests wait on it; clearing the hang releases them. */
    private volatile CountDownLatch hangRelease;
    private ScheduledFuture<?> crashTimer;
    private boolean ready;

    public FaultInjector(ProducerProperties properties, ProcessExit processExit) {
        this.processExit = processExit;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "fault-timer");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
        this.settings = FaultSettings.NONE;
        apply(FaultSettings.fromProperties(properties.faults()));
    }

    /** Timed crashes count from when the service is ready, not from when the JVM started. */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void onReady() {
        ready = true;
        scheduleCrash(settings);
        if (settings.any()) {
            LOG.warn("fault injection active from environment: {}", describe(settings));
        }
    }

    public FaultSettings settings() {
        return settings;
    }

    public Instant setAt() {
        return setAt;
    }

    public long requestsSinceSet() {
        return requestsSinceSet.get();
    }

    /** Replaces the settings; releases hung requests if the hang is cleared; restarts the crash count. */
    public synchronized void apply(FaultSettings next) {
        FaultSettings previous = settings;
        settings = next;
        setAt = Instant.now();
        requestsSinceSet.set(0);
        if (next.hang() && hangRelease == null) {
            hangRelease = new CountDownLatch(1);
        } else if (!next.hang() && hangRelease != null) {
            CountDownLatch release = hangRelease;
            hangRelease = null;
            release.countDown();
        }
        if (ready) {
            scheduleCrash(next);
        }
        if (previous != FaultSettings.NONE || next.any()) {
            LOG.info("faults now: {}", describe(next));
        }
    }

    private void scheduleCrash(FaultSettings current) {
        if (crashTimer != null) {
            crashTimer.cancel(false);
            crashTimer = null;
        }
        if (current.crash().after() != null) {
            long delay = current.crash().after().toMillis();
            crashTimer = timer.schedule(() -> processExit.exit(ProcessExit.CRASH_STATUS,
                    "crash fault: " + delay + " ms passed"), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Waits while a hang is set. Called for every request but the admin endpoint's. */
    public void awaitHangRelease() throws InterruptedException {
        CountDownLatch release = hangRelease;
        if (release != null) {
            release.await();
        }
    }

    /**
     * For an application request (not health, not admin): counts it towards a crash, sleeps the added latency,
     * and says whether to answer with an injected error.
     *
     * @return the status to fail with, or 0 to serve the request
     */
    public int beforeApplicationRequest() throws InterruptedException {
        FaultSettings current = settings;
        long count = requestsSinceSet.incrementAndGet();
        Long crashAfter = current.crash().requests();
        if (crashAfter != null && count > crashAfter) {
            processExit.exit(ProcessExit.CRASH_STATUS, "crash fault: " + crashAfter + " requests served");
        }
        if (!current.latency().isNone()) {
            Thread.sleep(current.latency().pickMs());
        }
        if (current.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < current.errorRate()) {
            return current.errorStatus();
        }
        return 0;
    }

    /** Crash on demand (admin endpoint), shortly after the answer has gone out. */
    public void crashSoon(String reason) {
        timer.schedule(() -> processExit.exit(ProcessExit.CRASH_STATUS, reason), 200, TimeUnit.MILLISECONDS);
    }

    static String describe(FaultSettings s) {
        if (!s.any()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        if (!s.latency().isNone()) {
            text.append("latency ").append(s.latency()).append(" ms; ");
        }
        if (s.errorRate() > 0) {
            text.append("errors ").append(Math.round(s.errorRate() * 1000) / 10.0).append("% as ")
                    .append(s.errorStatus()).append("; ");
        }
        if (s.hang()) {
            text.append("hang; ");
        }
        if (s.unhealthy()) {
            text.append("unhealthy; ");
        }
        if (!s.crash().isNone()) {
            text.append("crash after ").append(s.crash()).append("; ");
        }
        return text.substring(0, text.length() - 2);
    }

    @Override
    public synchronized void destroy() {
        CountDownLatch release = hangRelease;
        hangRelease = null;
        if (release != null) {
            release.countDown();
        }
        timer.shutdownNow();
    }
}
