package dev.plonk.controller.hooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The webhook calls in flight and their last answers, so a reconcile never waits for one: it asks for the answer of a
 * round and gets "pending" or the result, and the call runs meanwhile on {@link HookCaller}'s threads. One call at most
 * is in flight per hook and scope; a new round starts only when the previous one ended. Entries idle for
 * {@link #IDLE} are dropped; {@link #forget} drops a rollout's at once (it finished, or was deleted).
 */
public final class HookCalls {
  static final Duration IDLE = Duration.ofMinutes(15);
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  public HookCalls(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param owner the Rollout's uid
   * @param hook the hook's name
   * @param scope what the answer is about (type, revision, weight, tick): answers never cross scopes
   * @param round a number that grows when the hook must be asked again in the same scope (a gate polled every interval)
   */
  public record Key(String owner, String hook, String scope) {}

  /**
   * What is known of {@code key} at {@code round}.
   *
   * @param pending the call of this round has not answered yet
   * @param last the last answer in this scope (of this round when not pending), null before the first
   * @param calls rounds started in this scope
   */
  public record State(boolean pending, HookResult last, int calls) {}

  /** Starts the call of {@code round} unless it started already or the previous round is still in flight. */
  public State poll(Key key, long round, Supplier<CompletableFuture<HookResult>> call) {
    Instant now = clock.instant();
    prune(now);
    Entry e = entries.compute(key, (k, old) -> {
      if (old == null) {
        return new Entry(round, call.get(), null, 1, now);
      }
      if (old.round < round && old.future.isDone()) {
        return new Entry(round, call.get(), old.future.join(), old.calls + 1, now);
      }
      return old.touched(now);
    });
    boolean done = e.future.isDone();
    return new State(!done || e.round < round, done ? e.future.join() : e.previous, e.calls);
  }

  public void forget(String owner) {
    entries.keySet().removeIf(k -> k.owner().equals(owner));
  }

  private void prune(Instant now) {
    entries.values().removeIf(e -> e.future.isDone() && e.touched.plus(IDLE).isBefore(now));
  }

  private record Entry(long round, CompletableFuture<HookResult> future, HookResult previous, int calls,
      Instant touched) {
    Entry touched(Instant now) {
      return new Entry(round, future, previous, calls, now);
    }
  }
}
