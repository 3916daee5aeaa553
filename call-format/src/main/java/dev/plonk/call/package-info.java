/**
 * The asynchronous call as the gateway publishes it and the queue-worker consumes it: the message, its JetStream
 * streams and the call headers. Both sides depend on this package and never on each other.
 */
package dev.plonk.call;
