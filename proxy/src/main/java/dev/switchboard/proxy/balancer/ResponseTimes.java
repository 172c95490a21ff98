package dev.switchboard.proxy.balancer;

import java.util.concurrent.TimeUnit;

/**
 * The recent response times of one server, as the {@code leasttime} strategy learns them: the
 * average of the last 100 times to response headers. After 10 s without a new one the average
 * halves every further 10 s, so an avoided slow server is eventually tried again.
 */
final class ResponseTimes {
    private static final int SAMPLES = 100;
    private static final long HALF_LIFE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long[] samples = new long[SAMPLES];
    private int index;
    private int count;
    private long sum;
    private volatile double averageNanos;
    private volatile long lastSampleNanos;

    synchronized void record(long nanos) {
        if (count < SAMPLES) {
            count++;
        } else {
            sum -= samples[index];
        }
        samples[index] = nanos;
        sum += nanos;
        index = (index + 1) % SAMPLES;
        averageNanos = (double) sum / count;
        lastSampleNanos = System.nanoTime();
    }

    /** The average at {@code nowNanos}, faded when the server has not answered for a while; 0 before the first. */
    double average(long nowNanos) {
        double avg = averageNanos;
        if (avg == 0) {
            return 0;
        }
        long idle = nowNanos - lastSampleNanos - HALF_LIFE_NANOS;
        return idle <= 0 ? avg : avg * Math.pow(0.5, (double) idle / HALF_LIFE_NANOS);
    }
}
