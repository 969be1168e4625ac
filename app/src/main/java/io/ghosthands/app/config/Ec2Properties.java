package io.ghosthands.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a worker runs, as VALET reads it ({@code gh.ec2.*}; kept apart from {@link GhProperties}
 * while that class is being extended elsewhere, to be folded into it). Given by configuration only:
 * GhostHands never asks a cloud metadata service. Empty: unknown (null in the registry).
 */
@ConfigurationProperties(prefix = "gh.ec2")
public class Ec2Properties {

    /** {@code GH_EC2_INSTANCE_ID}: the instance the worker runs on (e.g. {@code i-0abc…}). */
    private String instanceId = "";

    /** {@code GH_EC2_IP}: the address VALET reaches the worker's host at. */
    private String ip = "";

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getIp() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }
}
