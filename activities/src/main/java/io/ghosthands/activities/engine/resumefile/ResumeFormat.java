package io.ghosthands.activities.engine.resumefile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The résumé formats job sites accept, told apart by their content, never by name alone: a PDF
 * starts with {@code %PDF} (within its first KiB, as readers allow); a DOC is an OLE compound file
 * ({@code D0 CF 11 E0}) holding a {@code WordDocument} stream; a DOCX is a ZIP ({@code PK}) whose
 * {@code [Content_Types].xml} declares a WordprocessingML main document and that has the
 * {@code word/} part it names.
 */
public enum ResumeFormat {
    PDF("pdf", "application/pdf"),
    DOC("doc", "application/msword"),
    DOCX("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    private final String extension;
    private final String contentType;

    ResumeFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    private static final byte[] OLE = {
        (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1
    };
    private static final byte[] WORD_STREAM = "WordDocument".getBytes(StandardCharsets.UTF_16LE);

    /** What the file is, or empty when it is none of the three. */
    public static Optional<ResumeFormat> detect(Path file) throws IOException {
        byte[] head = new byte[1024];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (indexOf(head, n, "%PDF-".getBytes(StandardCharsets.US_ASCII)) >= 0) {
            return Optional.of(PDF);
        }
        if (n >= OLE.length && startsWith(head, OLE)) {
            // Excel, PowerPoint and Outlook files are OLE too; only Word has this stream
            byte[] all = Files.readAllBytes(file);
            return indexOf(all, all.length, WORD_STREAM) >= 0 ? Optional.of(DOC) : Optional.empty();
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return isWordprocessingZip(file) ? Optional.of(DOCX) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isWordprocessingZip(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry types = zip.getEntry("[Content_Types].xml");
            if (types == null
                    || types.getSize() > 1_000_000
                    || zip.stream().noneMatch(e -> e.getName().startsWith("word/"))) {
                return false;
            }
            try (InputStream in = zip.getInputStream(types)) {
                String xml = new String(in.readNBytes(1_000_000), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                // the plain document type, not the macro-enabled one (.docm), which sites refuse
                return xml.contains("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
            }
        } catch (IOException e) {
            return false; // a damaged archive is no usable résumé
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
