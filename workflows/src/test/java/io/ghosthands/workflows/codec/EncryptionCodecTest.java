package io.ghosthands.workflows.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Payload encryption: round trips from many threads at once, fresh nonces, and refusals. */
class EncryptionCodecTest {

    private static Payload plain(String text) {
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8(text))
                .build();
    }

    @Test
    void payloadsSealedOnManyThreadsAtOnceOpenToWhatTheyWere() throws Exception {
        EncryptionCodec codec = EncryptionCodec.forKey("a passphrase");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<ByteString>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<ByteString> sealed = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        Payload in = plain("{\"code\":\"" + thread + "-" + i + "\"}");
                        Payload out = codec.encode(List.of(in)).get(0);
                        assertThat(out.getData().toStringUtf8()).doesNotContain(thread + "-" + i);
                        // opened on another thread's cipher too: the codec holds no per-payload state
                        assertThat(EncryptionCodec.forKey("a passphrase").decode(List.of(out)))
                                .containsExactly(in);
                        assertThat(codec.decode(List.of(out))).containsExactly(in);
                        sealed.add(out.getData().substring(0, 12));
                    }
                    return sealed;
                }));
            }
            Set<ByteString> nonces = new HashSet<>();
            for (Future<List<ByteString>> f : results) {
                nonces.addAll(f.get());
            }
            assertThat(nonces).as("every payload gets a nonce of its own").hasSize(8 * 500);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anotherKeyOrATamperedPayloadIsRefused() {
        EncryptionCodec codec = EncryptionCodec.forKey("one key");
        Payload sealed = codec.encode(List.of(plain("secret"))).get(0);

        assertThatThrownBy(() -> EncryptionCodec.forKey("another key").decode(List.of(sealed)))
                .isInstanceOf(PayloadCodecException.class)
                .hasMessageContaining("another key");
        byte[] data = sealed.getData().toByteArray();
        data[data.length - 1] ^= 1;
        Payload tampered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
        assertThatThrownBy(() -> codec.decode(List.of(tampered))).isInstanceOf(PayloadCodecException.class);
        // and the cipher of this thread still works after the failure
        assertThat(codec.decode(List.of(sealed))).containsExactly(plain("secret"));
    }

    @Test
    void payloadsWrittenWithoutEncryptionAreReadAsTheyAre() {
        Payload old = plain("{\"from\":\"an older workflow\"}");
        assertThat(EncryptionCodec.forKey("k").decode(List.of(old))).containsExactly(old);
    }
}
