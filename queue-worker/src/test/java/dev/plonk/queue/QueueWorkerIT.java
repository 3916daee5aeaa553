package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.call.AsyncCall;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Nats;
import dev.plonk.devstack.Net;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker process against the real nats-server, a loopback function and a loopback callback receiver. */
@DevStackTest(kubernetes = false, nats = true)
class QueueWorkerIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestQueue queue;
  private FakeGateway gateway;
  private CallbackReceiver receiver;
  private final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeEach
  void setUp(Nats nats) throws Exception {
    queue = new TestQueue(nats);
    gateway = new FakeGateway();
    receiver = new CallbackReceiver().start();
  }

  @AfterEach
  void tearDown() throws Exception {
    workers.forEach(WorkerProcess::close);
    receiver.close();
    gateway.close();
    queue.close();
  }

  private WorkerProcess worker(String name, String... extra) throws Exception {
    Map<String, String> options = new java.util.LinkedHashMap<>(Map.of(
        "--retry-min-wait", "200ms", "--retry-max-wait", "1s", "--annotations-ttl", "0s"));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      options.put(extra[i], extra[i + 1]);
    }
    List<String> flags = new ArrayList<>(queue.workerFlags(gateway.url()));
    options.forEach((flag, value) -> flags.addAll(List.of(flag, value)));
    WorkerProcess worker = new WorkerProcess(name, flags);
    workers.add(worker);
    return worker.start();
  }

  @Test
  void retriesTwice503ThenGivesExactlyOneCallbackWith200(Nats nats) throws Exception {
    String fn = "flaky." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> n <= 2 ? new FakeGateway.Reply(503, Map.of(), "busy")
        : new FakeGateway.Reply(200, Map.of("X-Function-Version", "v7", "X-Call-Id", "forged"),
            "done " + new String(arrival.body(), StandardCharsets.UTF_8)));
    WorkerProcess worker = worker("retry");
    AsyncCall call = queue.publish(queue.call("flaky", "job-1", receiver.url()));

    Net.await("a callback for " + call.callId(), WAIT, () -> !receiver.received().isEmpty(), null);
    Net.await("retries metric", WAIT, () -> metric(worker, "plonk_queue_retries_total") == 2.0, null);

    assertThat(receiver.received()).singleElement().satisfies(cb -> {
      assertThat(cb.callId()).isEqualTo(call.callId());
      assertThat(cb.functionStatus()).isEqualTo(200);
      assertThat(cb.functionName()).isEqualTo(fn);
      assertThat(cb.body()).isEqualTo("done job-1");
      assertThat(cb.durationSeconds()).isPositive();
      // the function's own response headers travel with the callback; the call's id is the worker's, not the function's
      assertThat(cb.header("X-Function-Version")).isEqualTo("v7");
      assertThat(cb.headers().entrySet()).filteredOn(h -> h.getKey().equalsIgnoreCase("X-Call-Id"))
          .singleElement().satisfies(h -> assertThat(h.getValue()).containsExactly(call.callId()));
    });
    List<FakeGateway.Arrival> arrivals = gateway.arrivals(fn);
    assertThat(arrivals).hasSize(3).allSatisfy(a -> {
      assertThat(a.callId()).isEqualTo(call.callId());
      assertThat(a.method()).isEqualTo("POST");
      assertThat(a.path()).isEqualTo("/work");
      assertThat(a.query()).isEqualTo("n=1");
      assertThat(a.headers().get("Content-type")).containsExactly("text/plain");
    });
    assertThat(metric(worker, "plonk_queue_messages_processed_total{function=\"" + fn + "\",outcome=\"success\"}"))
        .isEqualTo(1.0);
    assertThat(metric(worker, "plonk_queue_callbacks_total{code=\"204\"}")).isEqualTo(1.0);
    Net.await("plonk_queue_pending from consumer info", WAIT,
        () -> metric(worker, "plonk_queue_pending") == 0.0 && metric(worker, "plonk_queue_inflight") == 0.0, null);
  }

  @Test
  void aNonRetryableStatusIsFinalAtOnce(Nats nats) throws Exception {
    String fn = "missing." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> new FakeGateway.Reply(404, Map.of(), "no such thing"));
    WorkerProcess worker = worker("non-retryable");
    AsyncCall call = queue.publish(queue.call("missing", "x", receiver.url()));

    Net.await("the callback", WAIT, () -> receiver.received().size() == 1, null);
    assertThat(receiver.received().get(0).functionStatus()).isEqualTo(404);
    assertThat(receiver.received().get(0).body()).isEqualTo("no such thing");
    Net.await("the outcome metric", WAIT, () -> metric(worker,
        "plonk_queue_messages_processed_total{function=\"" + fn + "\",outcome=\"failed\"}") == 1.0, null);
    assertThat(gateway.arrivals(fn)).singleElement().satisfies(a -> assertThat(a.callId()).isEqualTo(call.callId()));
    assertThat(metric(worker, "plonk_queue_retries_total")).isZero();
    assertThat(metric(worker, "plonk_queue_dead_letter_total")).isZero();
  }

  @Test
  void honoursRetryAfterOn429(Nats nats) throws Exception {
    String fn = "limited." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> n == 1 ? new FakeGateway.Reply(429, Map.of("Retry-After", "3"), "slow down")
        : FakeGateway.Reply.ok("ok"));
    WorkerProcess worker = worker("retry-after");
    queue.publish(queue.call("limited", "x", receiver.url()));

    Net.await("the callback", WAIT, () -> receiver.received().size() == 1, null);
    List<FakeGateway.Arrival> arrivals = gateway.arrivals(fn);
    assertThat(arrivals).hasSize(2);
    // the backoff alone would ask for 200 ms; the worker asked JetStream to redeliver after the 3 s of Retry-After
    assertThat(metric(worker, "plonk_queue_retry_delay_seconds_count")).isEqualTo(1.0);
    assertThat(metric(worker, "plonk_queue_retry_delay_seconds_sum")).isEqualTo(3.0);
    assertThat(receiver.received().get(0).functionStatus()).isEqualTo(200);
  }

  @Test
  void exhaustedRetriesAndFunctionAnnotationsEndInTheDeadLetterWithReasonAndAttempts(Nats nats) throws Exception {
    String fn = "broken." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> new FakeGateway.Reply(502, Map.of(), "bad gateway"));
    gateway.annotate(fn, Map.of("com.openfaas.retry.attempts", "3", "com.openfaas.retry.min_wait", "100ms",
        "com.openfaas.retry.max_wait", "200ms"));
    WorkerProcess worker = worker("exhausted", "--annotations-ttl", "30s");
    AsyncCall call = queue.publish(queue.call("broken", "x", receiver.url()));

    List<Message> dead = queue.deadLetters(1, WAIT);
    assertThat(dead).singleElement().satisfies(m -> {
      assertThat(m.getHeaders().getFirst(DeadLetters.REASON)).contains("status 502", "last of 3 attempts");
      assertThat(m.getHeaders().getFirst(DeadLetters.ATTEMPTS)).isEqualTo("3");
      assertThat(m.getHeaders().getFirst(DeadLetters.CALL_ID)).isEqualTo(call.callId());
      assertThat(AsyncCall.fromJson(m.getData()).callId()).isEqualTo(call.callId());
    });
    assertThat(gateway.arrivals(fn)).hasSize(3);
    assertThat(receiver.received()).singleElement().satisfies(cb -> assertThat(cb.functionStatus()).isEqualTo(502));
    assertThat(metric(worker, "plonk_queue_dead_letter_total")).isEqualTo(1.0);
  }

  @Test
  void malformedMessagesAreDeadLetteredAndTheConsumerKeepsGoing(Nats nats) throws Exception {
    String fn = "echo." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> FakeGateway.Reply.ok("echo"));
    worker("malformed");
    queue.publishRaw("echo", "{not json".getBytes(StandardCharsets.UTF_8));
    queue.publishRaw("echo", "{\"callId\":\"c1\",\"namespace\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    AsyncCall good = queue.publish(queue.call("echo", "after", receiver.url()));

    List<Message> dead = queue.deadLetters(2, WAIT);
    assertThat(dead).extracting(m -> m.getHeaders().getFirst(DeadLetters.REASON))
        .anySatisfy(reason -> assertThat(reason).startsWith("malformed message: payload is not an AsyncCall JSON"))
        .anySatisfy(reason -> assertThat(reason).contains("field 'function' is missing"));
    assertThat(dead).allSatisfy(m -> assertThat(m.getSubject()).isEqualTo("plonk.dlq." + queue.namespace + ".echo"));
    Net.await("the good call's callback", WAIT, () -> receiver.received().size() == 1, null);
    assertThat(receiver.received().get(0).callId()).isEqualTo(good.callId());
  }

  @Test
  void failedCallbacksAreRetriedThenDeadLetteredAndLaterCallsSucceedOnceTheReceiverIsBack(Nats nats)
      throws Exception {
    String fn = "echo." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> FakeGateway.Reply.ok("echo"));
    WorkerProcess worker = worker("callback-down",
        "--callback-attempts", "3", "--callback-min-wait", "100ms", "--callback-max-wait", "200ms");
    receiver.stop();
    AsyncCall lost = queue.publish(queue.call("echo", "while down", receiver.url()));

    List<Message> dead = queue.deadLetters(1, WAIT);
    assertThat(dead).singleElement().satisfies(m -> {
      assertThat(m.getHeaders().getFirst(DeadLetters.CALL_ID)).isEqualTo(lost.callId());
      assertThat(m.getHeaders().getFirst(DeadLetters.REASON))
          .contains("callback failed after 3 attempt(s)", "did not answer");
    });
    assertThat(metric(worker, "plonk_queue_callbacks_total{code=\"error\"}")).isEqualTo(3.0);

    receiver.start();
    AsyncCall later = queue.publish(queue.call("echo", "after", receiver.url()));
    Net.await("the later callback", WAIT, () -> receiver.received().size() == 1, null);
    assertThat(receiver.received().get(0).callId()).isEqualTo(later.callId());
    assertThat(gateway.arrivals(fn)).hasSize(2);
  }

  @Test
  void neverRunsMoreThanMaxInflightCallsAtOnce(Nats nats) throws Exception {
    String fn = "slow." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> {
      Thread.sleep(100);
      return FakeGateway.Reply.ok("slow");
    });
    worker("concurrency", "--max-inflight", "4");
    int calls = 40;
    for (int i = 0; i < calls; i++) {
      queue.publish(queue.call("slow", "c" + i, receiver.url()));
    }
    Net.await(calls + " callbacks", WAIT, () -> receiver.distinctCalls() == calls, null);
    assertThat(gateway.maxConcurrent()).isLessThanOrEqualTo(4).isGreaterThan(1);
  }

  @Test
  void aPerFunctionLimitCapsOneFunction(Nats nats) throws Exception {
    String fn = "single." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> {
      Thread.sleep(50);
      return FakeGateway.Reply.ok("one at a time");
    });
    worker("per-function", "--max-inflight", "8", "--max-inflight-per-function", "1");
    int calls = 10;
    for (int i = 0; i < calls; i++) {
      queue.publish(queue.call("single", "c" + i, receiver.url()));
    }
    Net.await(calls + " callbacks", WAIT, () -> receiver.distinctCalls() == calls, null);
    assertThat(gateway.maxConcurrent()).isEqualTo(1);
  }

  @Test
  void inProgressAcksKeepACallLongerThanTheAckWaitFromBeingRedelivered(Nats nats) throws Exception {
    String fn = "long." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> {
      Thread.sleep(7000);
      return FakeGateway.Reply.ok("long");
    });
    worker("long-call", "--ack-wait", "2s");
    AsyncCall call = queue.publish(queue.call("long", "x", receiver.url()));

    Net.await("the callback", WAIT, () -> receiver.received().size() == 1, null);
    assertThat(receiver.received().get(0).callId()).isEqualTo(call.callId());
    // without +WPI the message would have come back after 2 s, three times over
    assertThat(gateway.arrivals(fn)).hasSize(1);
  }

  @Test
  void replicasShareTheDurableConsumer(Nats nats) throws Exception {
    String fn = "shared." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> {
      Thread.sleep(20);
      return FakeGateway.Reply.ok("shared");
    });
    WorkerProcess first = worker("replica-1", "--max-inflight", "2");
    WorkerProcess second = worker("replica-2", "--max-inflight", "2");
    int calls = 100;
    for (int i = 0; i < calls; i++) {
      queue.publish(queue.call("shared", "r" + i, receiver.url()));
    }
    Net.await(calls + " callbacks", WAIT, () -> receiver.distinctCalls() == calls, null);
    String success = "plonk_queue_messages_processed_total{function=\"" + fn + "\",outcome=\"success\"}";
    double byFirst = metric(first, success);
    double bySecond = metric(second, success);
    assertThat(byFirst).isPositive();
    assertThat(bySecond).isPositive();
    assertThat(byFirst + bySecond).isGreaterThanOrEqualTo(calls);
  }

  static double metric(WorkerProcess worker, String sample) {
    try {
      return worker.metric(sample).orElse(-1.0);
    } catch (Exception e) {
      return -1.0;
    }
  }
}
