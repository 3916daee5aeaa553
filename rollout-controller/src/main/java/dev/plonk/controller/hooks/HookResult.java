package dev.plonk.controller.hooks;

/**
 * How one round of calls to a webhook ended: the first 2xx answer, or the last failure after every attempt.
 *
 * @param ok a 2xx answer
 * @param attempts the calls made in this round (1 + retries at most)
 * @param answer what the receiver said, e.g. {@code HTTP 200}, {@code HTTP 500}, {@code timed out after 2s},
 *     {@code connection refused}
 */
public record HookResult(boolean ok, int attempts, String answer) {

  public String describe() {
    return answer + (attempts == 1 ? "" : " (" + attempts + " attempts)");
  }
}
