package io.ghosthands.cli;

import io.ghosthands.app.worker.WorkerRuntime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * How a {@code gh} server process stops on Ctrl-C (SIGINT) or SIGTERM, in two phases.
 *
 * <ol>
 *   <li>First signal: on a thread of its own, the worker (when the process runs one) drains — it
 *       takes no new jobs and lets its running browser steps finish for up to {@code
 *       GH_DRAIN_TIMEOUT} — then the rest of the {@link Stack} stops in order (API, embedded
 *       Temporal, database). Exit code 0 after a clean drain, 1 when jobs had to be stopped.
 *   <li>Second signal: the worker stops hard at once (browsers killed; the workflows of its jobs
 *       retry them elsewhere), and the orderly stop of the rest goes on.
 *   <li>Third signal: the JVM halts.
 * </ol>
 *
 * <p>Java runs its shutdown hooks on the first signal and exits after them, so a hook could never
 * see a second one. The handlers therefore replace the JVM's own for INT and TERM ({@code
 * sun.misc.Signal}, module jdk.unsupported); a shutdown hook still stops everything on any other
 * way out (SIGHUP, an exit elsewhere).
 */
final class ShutdownSignals {

    private final Stack stack;
    private final WorkerRuntime worker;
    private final AtomicInteger signals = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitCode;

    /** {@code worker} may be null (a process without one stops in one phase). */
    ShutdownSignals(Stack stack, WorkerRuntime worker) {
        this.stack = stack;
        this.worker = worker;
    }

    /** Installs the handlers, blocks until the process has stopped, and returns its exit code. */
    int awaitStop() throws InterruptedException {
        install("INT");
        install("TERM");
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (worker != null) {
                                worker.forceStop();
                            }
                            stack.close();
                        },
                        "gh-shutdown"));
        stopped.await();
        return exitCode;
    }

    private void install(String name) {
        try {
            Signal.handle(new Signal(name), this::onSignal);
        } catch (IllegalArgumentException e) {
            // the JVM keeps this signal (e.g. started with -Xrs): the shutdown hook still stops everything
            System.err.println(
                    "gh: cannot handle SIG" + name + " (" + e.getMessage() + "); it stops the process at once");
        }
    }

    /** Runs on the JVM's signal thread: must return promptly. */
    private void onSignal(Signal signal) {
        int n = signals.incrementAndGet();
        if (n == 1) {
            Thread stopper = new Thread(this::stopInOrder, "gh-stop");
            stopper.start();
        } else if (n == 2) {
            if (worker != null && worker.state() == WorkerRuntime.State.DRAINING) {
                System.err.println("gh: SIG" + signal.getName()
                        + " again: stopping the running jobs now (they are retried elsewhere)");
                worker.forceStop();
            } else {
                System.err.println("gh: already stopping; send the signal once more to quit at once");
            }
        } else {
            System.err.println("gh: quitting at once");
            Runtime.getRuntime().halt(1);
        }
    }

    private void stopInOrder() {
        int code = 0;
        try {
            if (worker != null) {
                System.err.printf(
                        "gh: stopping: worker %s takes no new jobs; its running jobs have up to %ds to finish"
                                + " (signal again to stop them now)%n",
                        worker.workerId(), worker.drainTimeout().toSeconds());
                WorkerRuntime.DrainOutcome outcome = worker.drain().join();
                if (!outcome.clean()) {
                    System.err.printf(
                            "gh: stopped %d running job(s) hard; their workflows retry them elsewhere%n",
                            outcome.stoppedJobs());
                    code = 1;
                }
            }
        } catch (RuntimeException e) {
            System.err.println("gh: while draining: " + Stack.describe(e));
            code = 1;
        } finally {
            stack.close();
            exitCode = code;
            stopped.countDown();
        }
    }
}
