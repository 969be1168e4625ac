package io.ghosthands.activities.engine.resumefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResumeFiles fetches a usable résumé from each kind of reference and refuses everything else with
 * {@code resume_unavailable}: too large (declared or streamed), not a PDF/DOC/DOCX by its bytes, HTTP
 * errors, unreachable hosts, non-http schemes, storage paths that leave their folder, storage paths
 * and s3 keys without any storage. Downloads come from a server on loopback. (Buckets: {@link
 * ResumeFilesS3Test}, {@link ResumeFilesSupabaseTest}.)
 */
class ResumeFilesTest {

    private static HttpServer server;
    static final byte[] PDF = ResumeSamples.PDF;
    static final byte[] ELEVEN_MB_PDF = Arrays.copyOf(PDF, 11 * 1024 * 1024);

    @TempDir
    Path storage;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/files/jane.pdf", ex -> send(ex, 200, "application/pdf", PDF, false));
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().set("Location", "/files/jane.pdf");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/files/big-streamed.pdf", ex -> send(ex, 200, "application/pdf", ELEVEN_MB_PDF, true));
        server.createContext("/files/big-declared.pdf", ex -> send(ex, 200, "application/pdf", ELEVEN_MB_PDF, false));
        server.createContext(
                "/files/login.pdf",
                ex -> send(
                        ex,
                        200,
                        "text/html; charset=utf-8",
                        "<!doctype html><html><body>Please sign in</body></html>".getBytes(StandardCharsets.UTF_8),
                        false));
        server.createContext("/files/cv", ex -> {
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"Jane Doe CV.docx\"");
            send(ex, 200, "application/octet-stream", docx(), false);
        });
        server.createContext("/to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
        server.createContext(
                "/to-name",
                ex -> redirect(
                        ex, "http://resume-cdn.test:" + ex.getLocalAddress().getPort() + "/files/jane.pdf"));
        server.createContext(
                "/to-own-port", ex -> redirect(ex, "http://127.0.0.1:" + ownPort.getLocalPort() + "/cv.pdf"));
        server.createContext("/to-moved", ex -> redirect(ex, "/moved"));
        server.createContext("/loop", ex -> redirect(ex, "/loop"));
        server.createContext("/files/missing.pdf", ex -> send(ex, 404, "text/plain", "not found".getBytes(), false));
        server.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop(0);
        ownPort.close();
    }

    /** A listening port standing for one of GhostHands' own: it counts every connection made to it. */
    private static ServerSocket ownPort;

    private static final AtomicInteger ownPortConnections = new AtomicInteger();

    @BeforeAll
    static void listenOnOwnPort() throws IOException {
        ownPort = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!ownPort.isClosed()) {
                        try (Socket s = ownPort.accept()) {
                            ownPortConnections.incrementAndGet();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "own-port");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body, boolean chunked)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, chunked ? 0 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < body.length; i += 64 * 1024) {
                out.write(body, i, Math.min(64 * 1024, body.length - i));
            }
        } catch (IOException e) {
            // the client hung up on purpose (size limit)
        } finally {
            ex.close();
        }
    }

    static byte[] docx() {
        return ResumeSamples.DOCX.clone();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** As on a developer's machine ({@code GH_ALLOW_PRIVATE_NETWORKS=true}): this server is on loopback. */
    private ResumeFiles files() {
        return files(new OutboundUrlPolicy(true, List.of()));
    }

    private ResumeFiles files(OutboundUrlPolicy policy) {
        return new ResumeFiles(
                Optional.empty(), Optional.of(storage), Duration.ofSeconds(10), ResumeFiles.MAX_BYTES, policy);
    }

    private static Map<String, Object> ref(String key, String value) {
        return Map.of("resume_ref", Map.of(key, value));
    }

    private void assertUnavailable(Map<String, Object> input, String source, String messagePart) {
        assertThatThrownBy(() -> files().resolve(input)).isInstanceOfSatisfying(ResumeUnavailableException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("resume_unavailable");
            assertThat(e.source()).isEqualTo(source);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void servedPdfIsDownloadedThroughARedirectToAPrivateCopyThatCloseDeletes() throws Exception {
        Optional<ResumeFile> got = files().resolve(ref("download_url", url("/moved?X-Amz-Signature=secret")));
        assertThat(got).isPresent();
        ResumeFile file = got.get();
        assertThat(file.format()).isEqualTo(ResumeFormat.PDF);
        assertThat(file.source()).isEqualTo("download_url");
        assertThat(file.path().getFileName().toString()).isEqualTo("jane.pdf");
        assertThat(Files.readAllBytes(file.path())).isEqualTo(PDF);
        file.close();
        assertThat(file.path()).doesNotExist();
        assertThat(file.path().getParent()).doesNotExist();
    }

    @Test
    void docxIsAcceptedByItsContentAndKeepsTheNameTheServerGave() throws Exception {
        try (ResumeFile file =
                files().resolve(ref("download_url", url("/files/cv"))).orElseThrow()) {
            assertThat(file.format()).isEqualTo(ResumeFormat.DOCX);
            assertThat(file.path().getFileName().toString()).isEqualTo("Jane Doe CV.docx");
        }
    }

    @Test
    void elevenMegabytesAreRefusedWhetherDeclaredOrOnlySeenWhileStreaming() {
        assertUnavailable(
                ref("download_url", url("/files/big-declared.pdf")), "download_url", "larger than the 10 MB limit");
        assertUnavailable(
                ref("download_url", url("/files/big-streamed.pdf")), "download_url", "larger than the 10 MB limit");
    }

    @Test
    void htmlServedInsteadOfAResumeIsRefused() {
        assertUnavailable(
                ref("download_url", url("/files/login.pdf")), "download_url", "is not a PDF, DOC or DOCX file");
        assertUnavailable(ref("download_url", url("/files/login.pdf")), "download_url", "served as text/html");
    }

    @Test
    void httpErrorsUnreachableHostsAndOtherSchemesAreRefusedWithoutLeakingTheQuery() throws IOException {
        assertUnavailable(ref("download_url", url("/files/missing.pdf?token=secret")), "download_url", "HTTP 404");
        assertThatThrownBy(() -> files().resolve(ref("download_url", url("/files/missing.pdf?token=secret"))))
                .hasMessageNotContaining("secret");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertUnavailable(
                ref("download_url", "http://127.0.0.1:" + closedPort + "/cv.pdf"),
                "download_url",
                "could not be reached");
        assertUnavailable(ref("download_url", "file:///etc/passwd"), "download_url", "must be an http or https URL");
        assertUnavailable(
                ref("download_url", "ftp://127.0.0.1/cv.pdf"), "download_url", "must be an http or https URL");
    }

    @Test
    void aRedirectToARefusedAddressIsRefusedBeforeAnythingConnectsToIt() throws IOException {
        int port = server.getAddress().getPort();
        // the strict policy of a real worker, with only this test server let through
        OutboundUrlPolicy strict = new OutboundUrlPolicy(
                        false,
                        List.of(ownPort.getLocalPort()),
                        host -> host.equals("resume-cdn.test")
                                ? new InetAddress[] {InetAddress.getByName("169.254.169.254")}
                                : InetAddress.getAllByName(host))
                .exemptLoopbackPort(port);
        try (ResumeFile ok =
                files(strict).resolve(ref("download_url", url("/to-moved"))).orElseThrow()) {
            assertThat(Files.readAllBytes(ok.path())).as("two allowed hops").isEqualTo(PDF);
        }

        long started = System.nanoTime();
        assertThatThrownBy(() -> files(strict).resolve(ref("download_url", url("/to-metadata?sig=secret"))))
                .isInstanceOfSatisfying(
                        ResumeUnavailableException.class,
                        e -> assertThat(e.source()).isEqualTo("download_url"))
                .hasMessageContaining("redirected to http://169.254.169.254/latest/meta-data/")
                .hasMessageContaining("blocked_address")
                .hasMessageNotContaining("secret");
        // refused by the policy, not by a connection that timed out
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        assertThatThrownBy(() -> files(strict).resolve(ref("download_url", url("/to-name"))))
                .hasMessageContaining("redirected to http://resume-cdn.test:")
                .hasMessageContaining("blocked_address");

        // a GhostHands port on this machine: nothing connects to it, even with private networks allowed
        OutboundUrlPolicy developer = new OutboundUrlPolicy(true, List.of(ownPort.getLocalPort()));
        for (OutboundUrlPolicy policy : List.of(strict, developer)) {
            assertThatThrownBy(() -> files(policy).resolve(ref("download_url", url("/to-own-port"))))
                    .hasMessageContaining("blocked_address");
            assertThatThrownBy(() -> files(policy)
                            .resolve(ref("download_url", "http://127.0.0.1:" + ownPort.getLocalPort() + "/cv.pdf")))
                    .hasMessageContaining("blocked_address");
        }
        assertThat(ownPortConnections.get())
                .as("connections to the refused port")
                .isZero();

        // the first URL itself is held to the policy too
        assertThatThrownBy(() -> files(strict).resolve(ref("download_url", "http://169.254.169.254/cv.pdf")))
                .hasMessageContaining("blocked_address");
        assertThatThrownBy(() -> files(OutboundUrlPolicy.strict()).resolve(ref("download_url", url("/files/jane.pdf"))))
                .hasMessageContaining("blocked_address");
    }

    @Test
    void aRedirectLoopEndsAfterTenHops() {
        assertUnavailable(ref("download_url", url("/loop")), "download_url", "redirected more than 10 times");
    }

    @Test
    void storagePathIsReadInsideItsFolderAndEscapesAreRefused() throws Exception {
        Files.createDirectories(storage.resolve("users/42"));
        Files.write(storage.resolve("users/42/resume.pdf"), PDF);
        try (ResumeFile file =
                files().resolve(ref("storage_path", "users/42/resume.pdf")).orElseThrow()) {
            assertThat(file.source()).isEqualTo("storage_path");
            assertThat(Files.readAllBytes(file.path())).isEqualTo(PDF);
            assertThat(file.path()).isNotEqualTo(storage.resolve("users/42/resume.pdf"));
        }
        assertThat(storage.resolve("users/42/resume.pdf")).exists(); // the original stays

        Path outside = Files.createTempFile("outside", ".pdf");
        try {
            Files.write(outside, PDF);
            assertUnavailable(ref("storage_path", "../" + outside.getFileName()), "storage_path", "must stay inside");
            assertUnavailable(
                    ref("storage_path", "users/../../" + outside.getFileName()), "storage_path", "must stay inside");
            assertUnavailable(ref("storage_path", outside.toString()), "storage_path", "must stay inside");
            Files.createSymbolicLink(storage.resolve("link.pdf"), outside);
            assertUnavailable(ref("storage_path", "link.pdf"), "storage_path", "leads outside the storage folder");
        } finally {
            Files.deleteIfExists(outside);
        }
        assertUnavailable(ref("storage_path", "users/42/nope.pdf"), "storage_path", "No résumé file");
    }

    @Test
    void storagePathOrS3KeyWithoutAnyStorageAreClearErrorsNamingTheSettings() {
        ResumeFiles noStorage = new ResumeFiles(Optional.empty());
        assertThatThrownBy(() -> noStorage.resolve(ref("storage_path", "users/42/resume.pdf")))
                .isInstanceOf(ResumeUnavailableException.class)
                .hasMessageContaining("no résumé storage configured")
                .hasMessageContaining("GH_RESUME_S3_BUCKET")
                .hasMessageContaining("SUPABASE_URL")
                .hasMessageContaining("GH_RESUME_DIR");
        assertThatThrownBy(() -> noStorage.resolve(ref("s3_key", "resumes/42.pdf")))
                .isInstanceOfSatisfying(
                        ResumeUnavailableException.class,
                        e -> assertThat(e.source()).isEqualTo("s3_key"))
                .hasMessageContaining("no résumé storage configured");
    }

    @Test
    void anS3KeyResolvesAgainstTheFolderWhenThatIsTheStorage() throws Exception {
        Files.createDirectories(storage.resolve("resumes"));
        Files.write(storage.resolve("resumes/42.pdf"), PDF);
        try (ResumeFile file = files().resolve(ref("s3_key", "resumes/42.pdf")).orElseThrow()) {
            assertThat(file.source()).isEqualTo("s3_key");
            assertThat(Files.readAllBytes(file.path())).isEqualTo(PDF);
        }
        assertUnavailable(
                ref("s3_key", "../" + storage.getFileName() + "/resumes/42.pdf"), "s3_key", "must stay inside");
    }

    @Test
    void resumePathIsALocalFileCheckedLikeAnyOther() throws Exception {
        Path local = storage.resolve("cv.doc.txt");
        Files.writeString(local, "just text");
        assertUnavailable(Map.of("resume_path", local.toString()), "resume_path", "is not a PDF, DOC or DOCX file");
        Path docx = storage.resolve("cv.docx");
        Files.write(docx, docx());
        try (ResumeFile file =
                files().resolve(Map.of("resume_path", docx.toString())).orElseThrow()) {
            assertThat(file.format()).isEqualTo(ResumeFormat.DOCX);
            assertThat(file.source()).isEqualTo("resume_path");
        }
    }

    @Test
    void noResumeGivenIsEmptyAndBlankReferencesCountAsAbsent() {
        assertThat(files().resolve(Map.of())).isEmpty();
        assertThat(files().resolve(null)).isEmpty();
        assertThat(files().resolve(Map.of("resume_ref", Map.of("storage_path", "", "download_url", " "))))
                .isEmpty();
    }

    @Test
    void aZipThatOnlyDeclaresAWordDocumentWithoutItsWordPartIsNoDocx() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(("<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
                            + "officedocument.wordprocessingml.document.main+xml\"/></Types>")
                    .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("payload.bin"));
            zip.write(new byte[] {1, 2, 3});
        }
        Path fake = storage.resolve("cv.docx");
        Files.write(fake, bytes.toByteArray());
        assertThat(ResumeFormat.detect(fake)).isEmpty();
        Path real = storage.resolve("real.docx");
        Files.write(real, docx());
        assertThat(ResumeFormat.detect(real)).contains(ResumeFormat.DOCX);
    }

    @Test
    void wordDocumentsAreToldFromOtherOfficeFilesByTheirStreams() throws IOException {
        byte[] ole = new byte[2048];
        byte[] magic = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
        System.arraycopy(magic, 0, ole, 0, magic.length);
        Path sheet = storage.resolve("book.xls");
        Files.write(sheet, ole);
        assertThat(ResumeFormat.detect(sheet)).isEmpty();
        byte[] stream = "WordDocument".getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(stream, 0, ole, 1024, stream.length);
        Path doc = storage.resolve("cv.doc");
        Files.write(doc, ole);
        assertThat(ResumeFormat.detect(doc)).contains(ResumeFormat.DOC);
    }
}
