package dev.switchboard.lab.grading.labs;

import dev.switchboard.lab.grading.LabContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;

/**
 * A small load test through the proxy: a few clients sending requests back to back, each exchange
 * recorded (when it started, how long it took, who answered), as the labs' figures need them.
 */
final class Load {

    /** One request and its outcome; {@code instance} is the producer's {@code X-Instance}, or null. */
    record Exchange(long startNanos, long endNanos, int status, String instance, String error) {
        boolean ok() {
            return error == null && status == 200;
        }

        long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }

        String outcome() {
            return error != null ? error : status == 200 ? "200 from " + instance : "status " + status;
        }
    }

    private Load() {
    }

    /** {@code clients} clients send requests, pausing {@code pause} between them, until {@code duration} is over. */
    static List<Exchange> forDuration(int clients, Duration duration, Duration pause, IntFunction<Request> request)
            throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        return run(clients, i -> System.nanoTime() < end, pause, request);
    }

    /** {@code clients} clients send requests, pausing {@code pause} between them, until {@code done} holds. */
    static List<Exchange> until(int clients, java.util.function.BooleanSupplier done, Duration pause, IntFunction<Request> request)
            throws InterruptedException {
        return run(clients, i -> !done.getAsBoolean(), pause, request);
    }

    /** {@code clients} clients send {@code total} requests between them, back to back. */
    static List<Exchange> requests(int clients, int total, IntFunction<Request> request) throws InterruptedException {
        AtomicInteger left = new AtomicInteger(total);
        return run(clients, i -> left.getAndDecrement() > 0, Duration.ZERO, request);
    }

    private interface Go {
        boolean more(int client);
    }

    private static List<Exchange> run(int clients, Go go, Duration pause, IntFunction<Request> request) throws InterruptedException {
        List<Exchange> all = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                while (go.more(client)) {
                    long start = System.nanoTime();
                    try {
                        ContentResponse r = request.apply(sequence.getAndIncrement()).send();
                        all.add(new Exchange(start, System.nanoTime(), r.getStatus(), r.getHeaders().get("X-Instance"), null));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                        all.add(new Exchange(start, System.nanoTime(), 0, null, cause.getClass().getSimpleName()));
                    }
                    if (!pause.isZero()) {
                        try {
                            Thread.sleep(pause.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "lab-load-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Exchange> sorted = new ArrayList<>(all);
        sorted.sort(java.util.Comparator.comparingLong(Exchange::startNanos));
        return sorted;
    }

    /** Answers counted by replica name; failures count under their outcome. */
    static Map<String, Integer> byInstance(List<Exchange> exchanges) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Exchange e : exchanges) {
            counts.merge(e.ok() ? e.instance() : e.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    /** The {@code p}-th percentile (0 to 100) of the exchanges' durations in milliseconds, nearest rank. */
    static long percentile(List<Exchange> exchanges, double p) {
        if (exchanges.isEmpty()) {
            return 0;
        }
        long[] ms = exchanges.stream().mapToLong(Exchange::millis).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * ms.length);
        return ms[Math.max(0, Math.min(ms.length - 1, rank - 1))];
    }

    static List<Exchange> failed(List<Exchange> exchanges) {
        return exchanges.stream().filter(e -> !e.ok()).toList();
    }
}
