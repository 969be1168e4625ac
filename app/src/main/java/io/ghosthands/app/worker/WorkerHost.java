package io.ghosthands.app.worker;

/**
 * The machine a worker runs on, as VALET knows it: its EC2 instance id and address, from
 * configuration ({@code GH_EC2_INSTANCE_ID}, {@code GH_EC2_IP}); null when not given.
 */
public record WorkerHost(String ec2InstanceId, String ec2Ip) {

    /** Nothing known. */
    public static final WorkerHost UNKNOWN = new WorkerHost(null, null);

    /** From configured values, blank meaning unknown. */
    public static WorkerHost of(String ec2InstanceId, String ec2Ip) {
        return new WorkerHost(blankToNull(ec2InstanceId), blankToNull(ec2Ip));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
