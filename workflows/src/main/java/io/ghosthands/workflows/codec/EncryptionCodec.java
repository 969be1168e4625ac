package io.ghosthands.workflows.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts every Temporal payload (workflow inputs, activity inputs and results, signals — so the
 * codes and passwords a human gives on resume) with AES-256-GCM before it leaves the process, so the
 * Temporal server and its history only ever hold ciphertext. Payloads written without it (older
 * workflows) are read as they are.
 */
public final class EncryptionCodec implements PayloadCodec {

    static final ByteString ENCODING = ByteString.copyFromUtf8("binary/encrypted");
    static final String CIPHER_KEY = "encryption-cipher";
    static final String KEY_ID = "encryption-key-id";
    private static final ByteString CIPHER_NAME = ByteString.copyFromUtf8("AES/GCM/NoPadding");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final ByteString keyId;
    // a Cipher per thread: looking one up costs more than the encryption of a small payload, and a
    // GCM cipher may be initialised again with a fresh nonce for each payload
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available", e);
        }
    });
    private static final ThreadLocal<SecureRandom> NONCES = ThreadLocal.withInitial(SecureRandom::new);

    private EncryptionCodec(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = ByteString.copyFromUtf8(HexFormat.of()
                .formatHex(sha256("gh-key-id:".getBytes(StandardCharsets.UTF_8), key))
                .substring(0, 16));
    }

    /**
     * The codec for a configured key: {@code GH_ENCRYPTION_KEY} as base64 of 32 bytes, or any other
     * text (a passphrase, or the service key when no encryption key is set), stretched with SHA-256.
     */
    public static EncryptionCodec forKey(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("an encryption key is required");
        }
        try {
            byte[] raw = Base64.getDecoder().decode(configured.strip());
            if (raw.length == 32) {
                return new EncryptionCodec(raw);
            }
        } catch (IllegalArgumentException notBase64) {
            // a passphrase
        }
        return new EncryptionCodec(sha256(
                "ghosthands-payload-key:".getBytes(StandardCharsets.UTF_8),
                configured.getBytes(StandardCharsets.UTF_8)));
    }

    /** The default data converter with this codec on top. */
    public DataConverter dataConverter() {
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(this));
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        return payloads.stream().map(this::encrypt).collect(Collectors.toList());
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(this::decrypt).collect(Collectors.toList());
    }

    private Payload encrypt(Payload payload) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            NONCES.get().nextBytes(nonce);
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(payload.toByteArray());
            byte[] data = ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return Payload.newBuilder()
                    .putMetadata("encoding", ENCODING)
                    .putMetadata(CIPHER_KEY, CIPHER_NAME)
                    .putMetadata(KEY_ID, keyId)
                    .setData(ByteString.copyFrom(data))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException(e);
        }
    }

    private Payload decrypt(Payload payload) {
        if (!ENCODING.equals(payload.getMetadataOrDefault("encoding", ByteString.EMPTY))) {
            return payload;
        }
        if (!keyId.equals(payload.getMetadataOrDefault(KEY_ID, keyId))) {
            throw new PayloadCodecException(
                    "payload was encrypted with another key (GH_ENCRYPTION_KEY / GH_SERVICE_KEY differ between processes)");
        }
        try {
            byte[] data = payload.getData().toByteArray();
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return Payload.parseFrom(plain);
        } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
            throw new PayloadCodecException(e);
        }
    }

    private static byte[] sha256(byte[] prefix, byte[] value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prefix);
            return digest.digest(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
