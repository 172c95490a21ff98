package dev.switchboard.producer;

import static dev.switchboard.producer.UsersApiContract.assertProblem;
import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.producer.testing.ProducerFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /call/...} when the proxy is not there, and its argument checks. */
class ProxyCallTest {

    @Test
    void unreachableProxyIs502WithTheReason() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("REVERSE_PROXY_URL", "http://127.0.0.1:1"))) {
            HttpResponse<String> response = producer.get("/call/app2/instance?times=2");
            assertThat(response.statusCode()).isEqualTo(502);
            JsonNode report = json(response);
            assertThat(report.get("target").asString()).isEqualTo("http://127.0.0.1:1/app2/instance");
            assertThat(report.get("calls").size()).isEqualTo(2);
            assertThat(report.get("calls").get(0).get("error").asString()).contains("ConnectException");
        }
    }

    @Test
    void defaultTargetIsTheCoursesReverseProxyName() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("CALL_TIMEOUT", "2s"))) {
            JsonNode report = json(producer.get("/call/app2/users/1"));
            assertThat(report.get("target").asString()).isEqualTo("http://reverse-proxy/app2/users/1");
        }
    }

    @Test
    void argumentsAreChecked() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("REVERSE_PROXY_URL", "http://127.0.0.1:1"))) {
            assertProblem(producer.get("/call/app2/instance?times=0"), 400, "times must be between 1 and 100");
            assertProblem(producer.get("/call/app2/instance?times=101"), 400, "times must be between 1 and 100");
        }
    }
}
