package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The circuitBreaker expression language: functions, comparisons, && before ||, parentheses. */
class CircuitBreakerExpressionTest {
    /** Network errors 0.4; 5xx/all 0.3; 4xx/all 0.1; median 120 ms. */
    private static final CircuitBreakerExpression.Metrics METRICS = new CircuitBreakerExpression.Metrics() {
        @Override
        public double networkErrorRatio() {
            return 0.4;
        }

        @Override
        public double responseCodeRatio(int from, int to, int dividedFrom, int dividedTo) {
            if (dividedFrom != 0 || dividedTo != 600) {
                return 0;
            }
            return from == 500 && to == 600 ? 0.3 : from == 400 && to == 500 ? 0.1 : 0;
        }

        @Override
        public double latencyAtQuantileMs(double quantile) {
            return quantile == 50.0 ? 120 : 900;
        }
    };

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "NetworkErrorRatio() > 0.30 ; true",
        "NetworkErrorRatio() > 0.5 ; false",
        "NetworkErrorRatio() >= 0.4 ; true",
        "NetworkErrorRatio() == 0.4 ; true",
        "NetworkErrorRatio() != 0.4 ; false",
        "ResponseCodeRatio(500, 600, 0, 600) > 0.25 ; true",
        "ResponseCodeRatio(400, 500, 0, 600) < 0.05 ; false",
        "LatencyAtQuantileMS(50.0) > 100 ; true",
        "LatencyAtQuantileMS(99) <= 100 ; false",
        "NetworkErrorRatio() > 0.5 || ResponseCodeRatio(500, 600, 0, 600) > 0.25 ; true",
        "NetworkErrorRatio() > 0.5 || LatencyAtQuantileMS(50.0) > 200 && NetworkErrorRatio() > 0.1 ; false",
        "NetworkErrorRatio() > 0.1 || LatencyAtQuantileMS(50.0) > 200 && NetworkErrorRatio() > 0.5 ; true",
        "(NetworkErrorRatio() > 0.1 || LatencyAtQuantileMS(50.0) > 200) && NetworkErrorRatio() > 0.5 ; false",
        "0.3 < NetworkErrorRatio() ; true",
        "networkerrorratio() > 0.3 ; true"})
    void evaluates(String expression, boolean expected) {
        assertEquals(expected, CircuitBreakerExpression.parse(expression).test(METRICS));
    }
}
