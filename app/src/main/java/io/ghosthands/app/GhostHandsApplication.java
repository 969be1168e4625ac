package io.ghosthands.app;

import io.ghosthands.app.config.Ec2Properties;
import io.ghosthands.app.config.GhProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Spring application behind {@code gh api}, {@code gh worker} and {@code gh dev}. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({GhProperties.class, Ec2Properties.class})
public class GhostHandsApplication {}
