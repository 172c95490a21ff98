package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves: refill, delay within the bound, refusal beyond it. */
class RateLimitBucketTest {
    private static final long MS = 1_000_000L;

    @Test
    void tokensRefillAtTheRateUpToTheBurst() {
        // 10 per second, burst 3: a token every 100 ms; delays up to 50 ms are waited out.
        double rate = 10;
        long maxDelay = 50 * MS;
        RateLimit.Bucket bucket = new RateLimit.Bucket(3, 0);
        assertEquals(0, bucket.reserve(0, rate, 3, maxDelay));
        assertEquals(0, bucket.reserve(0, rate, 3, maxDelay));
        assertEquals(0, bucket.reserve(0, rate, 3, maxDelay));
        assertEquals(-100 * MS, bucket.reserve(0, rate, 3, maxDelay), "empty: next token in 100 ms, too long to wait");
        assertEquals(40 * MS, bucket.reserve(60 * MS, rate, 3, maxDelay), "0.6 token now: wait 40 ms for the rest");
        assertEquals(-100 * MS, bucket.reserve(100 * MS, rate, 3, maxDelay), "the reserved token was taken");
        assertEquals(0, bucket.reserve(10_000 * MS, rate, 3, maxDelay), "after a long pause the bucket is full again");
        assertEquals(0, bucket.reserve(10_000 * MS, rate, 3, maxDelay));
        assertEquals(0, bucket.reserve(10_000 * MS, rate, 3, maxDelay));
        assertEquals(-100 * MS, bucket.reserve(10_000 * MS, rate, 3, maxDelay), "but holds no more than the burst");
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        assertEquals("1.5s", RateLimit.goDuration(1_500 * MS));
        assertEquals("250ms", RateLimit.goDuration(250 * MS));
    }
}
