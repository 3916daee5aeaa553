package dev.plonk.queue;

import io.nats.client.Message;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps long calls from being redelivered: every quarter of the consumer's ack wait, each message held by this
 * worker (fetched, waiting or running) gets an in-progress ack ({@code +WPI}), which restarts its ack timer on the
 * server. It has its own timer thread, so nothing else can delay it.
 */
public final class InProgressAcks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InProgressAcks.class);

  private final Set<Message> inflight = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "plonk-queue-in-progress");
    thread.setDaemon(true);
    return thread;
  });

  public InProgressAcks(Duration ackWait) {
    long period = Math.max(100, ackWait.toMillis() / 4);
    timer.scheduleAtFixedRate(this::extend, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  public void track(Message message) {
    inflight.add(message);
  }

  public void untrack(Message message) {
    inflight.remove(message);
  }

  public int size() {
    return inflight.size();
  }

  private void extend() {
    for (Message message : inflight) {
      try {
        message.inProgress();
      } catch (RuntimeException e) {
        LOG.debug("in-progress ack failed (the connection may be reconnecting): {}", e.toString());
      }
    }
  }
}
