package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Nats;
import dev.plonk.devstack.Net;
import dev.plonk.gateway.async.AsyncCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every call completes when the worker is killed with -9 or nats-server restarts in the middle of a run. */
@DevStackTest(kubernetes = false, nats = true)
class WorkerResilienceIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int CALLS = 200;

  private TestQueue queue;
  private FakeGateway gateway;
  private CallbackReceiver receiver;
  private final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeEach
  void setUp(Nats nats) throws Exception {
    queue = new TestQueue(nats);
    gateway = new FakeGateway();
    receiver = new CallbackReceiver().start();
    gateway.behave("work." + queue.namespace, (n, arrival) -> {
      Thread.sleep(20);
      return FakeGateway.Reply.ok("done");
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    workers.forEach(WorkerProcess::close);
    receiver.close();
    gateway.close();
    queue.close();
  }

  private WorkerProcess worker(String name) throws Exception {
    List<String> flags = new ArrayList<>(queue.workerFlags(gateway.url()));
    // a short ack wait so the calls a killed worker held come back quickly
    flags.addAll(List.of("--max-inflight", "4", "--ack-wait", "2s", "--annotations-ttl", "0s"));
    WorkerProcess worker = new WorkerProcess(name, flags);
    workers.add(worker);
    return worker.start();
  }

  private List<AsyncCall> publish(int count) throws Exception {
    List<AsyncCall> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(queue.publish(queue.call("work", "c" + i, receiver.url())));
    }
    return calls;
  }

  @Test
  void everyCallCompletesAfterTheWorkerIsKilledAndRestarted() throws Exception {
    List<AsyncCall> calls = publish(CALLS);
    WorkerProcess first = worker("crash-1");
    Net.await("some callbacks before the crash", WAIT, () -> receiver.distinctCalls() >= CALLS / 5, null);
    first.kill();
    assertThat(receiver.distinctCalls()).isLessThan(CALLS);

    worker("crash-2");
    Net.await("callbacks for all " + CALLS + " calls", WAIT, () -> receiver.distinctCalls() == CALLS, null);
    assertThat(callbackIds()).isEqualTo(ids(calls));
    System.out.printf("worker kill -9: %d calls, %d callbacks, %d duplicates (at-least-once)%n", CALLS,
        receiver.received().size(), receiver.duplicates());
  }

  @Test
  void everyCallCompletesAcrossANatsServerRestart(Nats nats) throws Exception {
    List<AsyncCall> calls = publish(CALLS);
    worker("nats-restart");
    Net.await("some callbacks before the restart", WAIT, () -> receiver.distinctCalls() >= CALLS / 5, null);
    nats.restart();
    calls.addAll(publish(CALLS / 2));

    Net.await("callbacks for all " + calls.size() + " calls", WAIT, () -> receiver.distinctCalls() == calls.size(),
        null);
    assertThat(callbackIds()).isEqualTo(ids(calls));
    System.out.printf("nats-server restart: %d calls, %d callbacks, %d duplicates (at-least-once)%n", calls.size(),
        receiver.received().size(), receiver.duplicates());
  }

  private Set<String> callbackIds() {
    return receiver.received().stream().map(CallbackReceiver.Callback::callId).collect(Collectors.toSet());
  }

  private static Set<String> ids(List<AsyncCall> calls) {
    return calls.stream().map(AsyncCall::callId).collect(Collectors.toSet());
  }
}
