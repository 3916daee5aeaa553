package dev.plonk.mesh.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.api.v1alpha1.MetricsObserverKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ObserversTest {
  static final MetricTarget T = new MetricTarget("shop", "echo", "echo");
  final MetricsObservers observers = new MetricsObservers();

  @Test
  void gatewaySuccessRate() {
    assertThat(observers.forKind(MetricsObserverKind.GATEWAY).successRate(T, Duration.ofSeconds(30))).isEqualTo(
        "sum(rate(plonk_gateway_backend_requests_total{namespace=\"shop\",function=\"echo\",backend=\"echo-canary\","
            + "code!~\"5..\"}[30s])) / sum(rate(plonk_gateway_backend_requests_total{namespace=\"shop\",function=\"echo\","
            + "backend=\"echo-canary\"}[30s])) * 100");
  }

  @Test
  void gatewayDuration() {
    assertThat(observers.forKind(MetricsObserverKind.GATEWAY).requestDurationP99(T, Duration.ofMinutes(1))).isEqualTo(
        "histogram_quantile(0.99, sum(rate(plonk_gateway_backend_request_duration_seconds_bucket{namespace=\"shop\","
            + "function=\"echo\",backend=\"echo-canary\"}[60s])) by (le)) * 1000");
  }

  @Test
  void linkerdSuccessRate() {
    assertThat(observers.forKind(MetricsObserverKind.LINKERD).successRate(T, Duration.ofSeconds(2))).isEqualTo(
        "sum(rate(response_total{namespace=\"shop\",deployment=~\"echo\",classification!=\"failure\","
            + "direction=\"inbound\"}[2s])) / sum(rate(response_total{namespace=\"shop\",deployment=~\"echo\","
            + "direction=\"inbound\"}[2s])) * 100");
  }

  @Test
  void linkerdDuration() {
    assertThat(observers.forKind(MetricsObserverKind.LINKERD).requestDurationP99(T, Duration.ofMillis(1500))).isEqualTo(
        "histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace=\"shop\",deployment=~\"echo\","
            + "direction=\"inbound\"}[1500ms])) by (le))");
  }

  @Test
  void gatewayCountsAreIncreasesByBackend() {
    MetricsObserver gateway = observers.forKind(MetricsObserverKind.GATEWAY);
    Duration w = Duration.ofSeconds(40);
    String both = "namespace=\"shop\",function=\"echo\",backend=~\"echo-canary|echo-primary\"";
    assertThat(gateway.requestIncrease(T, w))
        .isEqualTo("sum by (backend) (increase(plonk_gateway_backend_requests_total{" + both + "}[40s]))");
    assertThat(gateway.errorIncrease(T, w))
        .isEqualTo("sum by (backend) (increase(plonk_gateway_backend_requests_total{" + both + ",code=~\"5..\"}[40s]))");
    assertThat(gateway.latencyBucketIncrease(T, w)).isEqualTo(
        "sum by (backend, le) (increase(plonk_gateway_backend_request_duration_seconds_bucket{" + both + "}[40s]))");
    assertThat(gateway.versions(T)).isEqualTo(new VersionSeries("backend", "echo-canary", "echo-primary", 1000));
  }

  @Test
  void linkerdCountsAreIncreasesByDeployment() {
    MetricsObserver linkerd = observers.forKind(MetricsObserverKind.LINKERD);
    Duration w = Duration.ofSeconds(90);
    String both = "namespace=\"shop\",deployment=~\"echo|echo-primary\"";
    assertThat(linkerd.requestIncrease(T, w))
        .isEqualTo("sum by (deployment) (increase(response_total{" + both + ",direction=\"inbound\"}[90s]))");
    assertThat(linkerd.errorIncrease(T, w)).isEqualTo("sum by (deployment) (increase(response_total{" + both
        + ",classification=\"failure\",direction=\"inbound\"}[90s]))");
    assertThat(linkerd.latencyBucketIncrease(T, w)).isEqualTo(
        "sum by (deployment, le) (increase(response_latency_ms_bucket{" + both + ",direction=\"inbound\"}[90s]))");
    assertThat(linkerd.versions(T)).isEqualTo(new VersionSeries("deployment", "echo", "echo-primary", 1));
  }

  @Test
  void customQueryVariables() {
    MetricTarget t = new MetricTarget("shop", "api", "echo");
    assertThat(QueryTemplate.render("sum(rate(x{ns=\"{{namespace}}\",d=\"{{ target }}\",b=~\"{{primary}}|{{canary}}\"}"
        + "[{{interval}}]))", t, Duration.ofSeconds(5)))
        .isEqualTo("sum(rate(x{ns=\"shop\",d=\"echo\",b=~\"api-primary|api-canary\"}[5s]))");
  }

  @Test
  void templateVariablesAreFilledInAndAMissingOneIsNamed() {
    MetricTarget t = new MetricTarget("shop", "api", "echo");
    assertThat(QueryTemplate.render("sum(rate(x{b=\"{{canary}}\",code=~\"{{ variables.codes }}\",r=\"{{variables.codes}}$1\"}"
        + "[{{interval}}]))", t, Duration.ofSeconds(5), java.util.Map.of("codes", "5..")))
        .isEqualTo("sum(rate(x{b=\"api-canary\",code=~\"5..\",r=\"5..$1\"}[5s]))");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> QueryTemplate.render("x{c=\"{{variables.code}}\"}", t,
        Duration.ofSeconds(5), java.util.Map.of("codes", "5..")))
        .hasMessage("the query uses {{variables.code}} but templateVariables has no 'code' (it has [codes])");
  }
}
