package io.ghosthands.activities.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's private temp folder: 0700, removed on close, and on start the folders of workers that
 * are gone are removed while those of live workers (in this process or another) are left alone.
 */
class WorkerScratchTest {

    @TempDir
    Path root;

    @Test
    void theFolderAndItsLaneFoldersArePrivateAndGoAwayOnClose() throws Exception {
        WorkerScratch scratch = WorkerScratch.open(root, "adam");
        Path lane = scratch.lane(0);
        Path file = scratch.newFile("gh-trace-", ".zip");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.dir())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lane)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .isEqualTo("rwx------");
        Files.writeString(lane.resolve("trace.network"), "x");

        scratch.close();

        assertThat(scratch.dir()).doesNotExist();
    }

    @Test
    void aLiveWorkersFolderInThisProcessIsKeptAndAStaleOneIsRemoved() throws Exception {
        try (WorkerScratch live = WorkerScratch.open(root, "live")) {
            Path stale = root.resolve(WorkerScratch.PREFIX + "999999-dead");
            Files.createDirectories(stale.resolve("l0"));
            Files.writeString(stale.resolve("lock"), "");
            Files.writeString(stale.resolve("pid"), "999999 gone\n");
            Files.writeString(stale.resolve("l0").resolve("gh-job-x.trace"), "secret-ish");
            Path notOurs = Files.createDirectories(root.resolve("something-else"));
            // half removed by a worker that stopped meanwhile: no lock, no pid, an hour old
            Path halfRemoved = root.resolve(WorkerScratch.PREFIX + "999998-half");
            Files.writeString(Files.createDirectories(halfRemoved.resolve("l0")).resolve("x"), "x");
            Files.setLastModifiedTime(halfRemoved, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
            // just being made by a worker starting now: no pid file yet
            Path young = Files.createDirectories(root.resolve(WorkerScratch.PREFIX + "999997-new"));

            try (WorkerScratch next = WorkerScratch.open(root, "next")) {
                assertThat(stale).doesNotExist();
                assertThat(halfRemoved).doesNotExist();
                assertThat(young).exists();
                assertThat(live.dir()).exists();
                assertThat(live.dir().resolve("lock")).exists();
                assertThat(notOurs).exists();
                assertThat(next.dir()).exists().isNotEqualTo(live.dir());
                // several scans in a row (several workers starting in one JVM, as the tests do): a
                // check of a folder must never drop the lock of the worker holding it
                try (WorkerScratch third = WorkerScratch.open(root, "third")) {
                    assertThat(WorkerScratch.removeStale(root)).isZero();
                    // and another process (another worker starting) finds all three held
                    Process scan = new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    Scanner.class.getName(),
                                    root.toString())
                            .inheritIO()
                            .start();
                    assertThat(scan.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(live.dir()).exists();
                    assertThat(next.dir()).exists();
                    assertThat(third.dir()).exists();
                }
            }
        }
    }

    @Test
    void aWorkerProcessKilledHardLeavesItsFolderWhichTheNextWorkerRemovesOnlyOnceTheProcessIsGone() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), root.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            Path held = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("DIR ")) {
                    held = Path.of(line.substring(4));
                    break;
                }
            }
            assertThat(held).as("the other worker's folder").isNotNull().exists();

            assertThat(WorkerScratch.removeStale(root)).isZero();
            assertThat(held).as("a live worker's folder in another process").exists();

            holder.destroyForcibly(); // SIGKILL: the worker cannot clean up
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(held).as("left behind by kill -9").exists();

            try (WorkerScratch next = WorkerScratch.open(root, "next")) {
                assertThat(held).as("removed by the next worker to start").doesNotExist();
                assertThat(next.dir()).exists();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    /** Another worker process starting: removes the stale folders under the root it is given. */
    public static final class Scanner {
        public static void main(String[] args) throws Exception {
            WorkerScratch.removeStale(Path.of(args[0]));
        }
    }

    /** Another worker process: holds a folder under the root it is given until it is killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            WorkerScratch scratch = WorkerScratch.open(Path.of(args[0]), "other");
            Files.writeString(scratch.lane(0).resolve("gh-job-y.trace"), "trace");
            System.out.println("DIR " + scratch.dir());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
