package io.ghosthands.activities.engine.resumefile;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Streams a response body to a file and gives up as soon as it grows past the limit. */
final class CappedFileSubscriber implements HttpResponse.BodySubscriber<Path> {
    private final Path file;
    private final long max;
    private final long declared;
    private final CompletableFuture<Path> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private FileChannel channel;
    private long written;

    CappedFileSubscriber(Path file, long max, long declared) {
        this.file = file;
        this.max = max;
        this.declared = declared;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declared > max) {
            fail(new TooLargeException(declared)); // said so up front: no need to read any of it
            return;
        }
        try {
            channel = FileChannel.open(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            fail(e);
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        try {
            for (ByteBuffer b : buffers) {
                written += b.remaining();
                if (written > max) {
                    fail(new TooLargeException(written));
                    return;
                }
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
            subscription.request(1);
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        close();
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        close();
        result.complete(file);
    }

    @Override
    public CompletionStage<Path> getBody() {
        return result;
    }

    private void fail(IOException e) {
        subscription.cancel();
        close();
        result.completeExceptionally(e);
    }

    private void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the outcome is already decided; the folder is deleted with the failure
        }
    }

    /** The body went past the size limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(long bytes) {
            super("résumé larger than allowed (" + bytes + " bytes so far)");
        }
    }
}
