package io.ghosthands.app.config;

import io.ghosthands.workflows.codec.EncryptionCodec;
import io.temporal.common.converter.DataConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every Temporal payload this process writes is encrypted (see {@link EncryptionCodec}): the
 * Temporal starter picks this data converter up for its client and workers.
 */
@Configuration
class TemporalPayloads {

    private static final Logger log = LoggerFactory.getLogger(TemporalPayloads.class);

    @Bean
    DataConverter mainDataConverter(GhProperties properties) {
        String key =
                properties.getEncryptionKey().isBlank() ? properties.getServiceKey() : properties.getEncryptionKey();
        if (key == null || key.isBlank()) {
            log.warn("Neither GH_ENCRYPTION_KEY nor GH_SERVICE_KEY is set: Temporal payloads are NOT encrypted");
            return DataConverter.getDefaultInstance();
        }
        return EncryptionCodec.forKey(key).dataConverter();
    }
}
