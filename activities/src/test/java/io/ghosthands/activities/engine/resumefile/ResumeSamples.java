package io.ghosthands.activities.engine.resumefile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Files a résumé store may hold: real résumés by their bytes, and things that only look like one by name. */
public final class ResumeSamples {

    private ResumeSamples() {}

    /** A minimal PDF: what the magic check needs to see. */
    public static final byte[] PDF =
            "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    /** A PDF of 11 MB, one more than the limit. */
    public static final byte[] ELEVEN_MB_PDF = Arrays.copyOf(PDF, 11 * 1024 * 1024);

    /** A sign-in page, as a misconfigured store or a proxy serves in place of the file. */
    public static final byte[] HTML =
            "<!doctype html><html><body>Please sign in</body></html>".getBytes(StandardCharsets.UTF_8);

    /** The start of a PNG image. */
    public static final byte[] PNG = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };

    /** A minimal Word document: a ZIP declaring a WordprocessingML main part, with {@code word/document.xml}. */
    public static final byte[] DOCX = docx();

    private static byte[] docx() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(
                    ("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                                    + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument"
                                    + ".wordprocessingml.document.main+xml\"/></Types>")
                            .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write("<w:document/>".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
