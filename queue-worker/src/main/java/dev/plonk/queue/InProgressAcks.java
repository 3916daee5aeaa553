package dev.plonk.queue;

import io.nats.client.Message;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps long calls from being redelivered: every third of the consumer's ack wait, each message still being
 * processed gets an in-progress ack ({@code +WPI}), which restarts its ack timer on the server.
 */
public final class InProgressAcks {
  private static final Logger LOG = LoggerFactory.getLogger(InProgressAcks.class);

  private final Set<Message> inflight = ConcurrentHashMap.newKeySet();

  public InProgressAcks(ScheduledExecutorService scheduler, Duration ackWait) {
    long period = Math.max(100, ackWait.toMillis() / 3);
    scheduler.scheduleAtFixedRate(this::extend, period, period, TimeUnit.MILLISECONDS);
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
