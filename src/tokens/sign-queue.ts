/**
 * When RSA and ECDSA signatures are handed to the libuv threadpool. Queueing one wakes a
 * pool thread, and on a loaded machine the woken thread takes the core from the main
 * thread at once: in the example server under client-credentials load, the queueing call
 * took 239 µs of main-thread wall time per signature, against 8–10 µs in a loop. So while
 * signatures are in flight, new ones wait and are queued together, once the event-loop
 * turn's I/O callbacks have run (`setImmediate`) or one of those in flight completes,
 * whichever comes first. With none in flight a signature is queued at once, so a test that
 * fakes timers and signs one token at a time never waits on a timer, and one that signs
 * several at once is released by the first completion.
 *
 * @internal
 * @module
 */

let inFlight = 0;
let waiting: (() => void)[] = [];
let scheduled = false;

/**
 * Runs `start` (which queues one signature on the threadpool) now or with the next batch;
 * `start` must call {@link signatureDone} exactly once when its signature completes.
 */
export function queueSignature(start: () => void): void {
  if (inFlight === 0 && waiting.length === 0) {
    inFlight += 1;
    start();
    return;
  }
  waiting.push(start);
  if (!scheduled) {
    scheduled = true;
    setImmediate(startWaiting);
  }
}

/** Called once by each started signature when it completes, whatever the outcome. */
export function signatureDone(): void {
  inFlight -= 1;
  if (waiting.length > 0) startWaiting();
}

function startWaiting(): void {
  scheduled = false;
  const starting = waiting;
  waiting = [];
  inFlight += starting.length;
  for (const start of starting) start();
}
