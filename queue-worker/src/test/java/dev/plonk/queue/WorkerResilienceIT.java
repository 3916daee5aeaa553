package dev.plonk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plonk.call.AsyncCall;
import dev.plonk.devstack.DevStackTest;
import dev.plonk.devstack.Nats;
import dev.plonk.devstack.Net;
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

  @Test
  void sigtermStopsFetchingAndFinishesTheCallsInFlight() throws Exception {
    String fn = "slow." + queue.namespace;
    gateway.behave(fn, (n, arrival) -> {
      Thread.sleep(2000);
      return FakeGateway.Reply.ok("finished");
    });
    WorkerProcess worker = worker("graceful");
    List<AsyncCall> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(queue.publish(queue.call("slow", "g" + i, receiver.url())));
    }
    Net.await("4 calls in flight", WAIT, () -> gateway.arrivals(fn).size() >= 4, null);
    assertThat(QueueWorkerIT.metric(worker, "plonk_queue_inflight")).isGreaterThanOrEqualTo(4.0);

    worker.stop();

    assertThat(worker.isAlive()).isFalse();
    // the 4 calls that were running finished and called back before the process exited; the rest were not started
    assertThat(receiver.distinctCalls()).isEqualTo(gateway.arrivals(fn).size()).isGreaterThanOrEqualTo(4);
    assertThat(receiver.received()).allSatisfy(cb -> assertThat(cb.functionStatus()).isEqualTo(200));
    assertThat(worker.logTail()).contains("shutting down", "stopped");

    worker("graceful-2");
    Net.await("the remaining calls after the restart", WAIT, () -> receiver.distinctCalls() == calls.size(), null);
  }

  private Set<String> callbackIds() {
    return receiver.received().stream().map(CallbackReceiver.Callback::callId).collect(Collectors.toSet());
  }

  private static Set<String> ids(List<AsyncCall> calls) {
    return calls.stream().map(AsyncCall::callId).collect(Collectors.toSet());
  }
}
