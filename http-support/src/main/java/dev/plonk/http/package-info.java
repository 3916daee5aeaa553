/**
 * The Netty HTTP/1.1 client with per-event-loop keep-alive pools, shared by the gateway (calls to functions) and the
 * queue-worker (calls to the gateway).
 */
package dev.plonk.http;
