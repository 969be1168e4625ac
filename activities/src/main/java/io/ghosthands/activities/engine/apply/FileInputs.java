package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** Gives a page a file: set on a file input, dropped on a drop zone, or through a file chooser. */
final class FileInputs {

    private final Page page;

    FileInputs(Page page) {
        this.page = page;
    }

    /** Attaches {@code file} to a file input (hidden ones too). */
    static boolean upload(Locator l, Path file) {
        try {
            l.setInputFiles(file, new Locator.SetInputFilesOptions().setTimeout(FieldFiller.ACTION_MS));
            // attached is what the input holds now, not what was asked of it
            return Boolean.TRUE.equals(l.evaluate("e => !!e.files && e.files.length > 0"));
        } catch (PlaywrightException e) {
            return false;
        }
    }

    /**
     * Drops {@code file} on a drop zone that has no file input of its own (drag and drop only), as a
     * person dragging it there would; true when the page then shows the file's name (it took it).
     */
    boolean dropOn(Locator zone, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            String type = name.toLowerCase(Locale.ROOT).endsWith(".pdf")
                    ? "application/pdf"
                    : name.toLowerCase(Locale.ROOT).endsWith(".docx")
                            ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                            : "application/octet-stream";
            zone.evaluate("""
          (zone, f) => {
            const bin = atob(f.data);
            const bytes = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], f.name, {type: f.type}));
            for (const kind of ['dragenter', 'dragover', 'drop']) {
              zone.dispatchEvent(new DragEvent(kind, {bubbles: true, cancelable: true, dataTransfer: dt}));
            }
          }""", Map.of("data", Base64.getEncoder().encodeToString(bytes), "name", name, "type", type));
            page.waitForFunction(
                    "n => document.body && document.body.innerText.includes(n)",
                    name,
                    new Page.WaitForFunctionOptions().setTimeout(FieldFiller.ACTION_MS / 2));
            return true;
        } catch (PlaywrightException | IOException e) {
            return false;
        }
    }

    /** Attaches {@code file} through the file chooser an upload button opens. */
    boolean uploadThrough(Locator button, Path file, FieldFiller clicker) {
        try {
            FileChooser chooser = page.waitForFileChooser(
                    new Page.WaitForFileChooserOptions().setTimeout(FieldFiller.ACTION_MS),
                    () -> clicker.click(button));
            chooser.setFiles(file);
            return true;
        } catch (PlaywrightException e) {
            return false;
        }
    }
}
