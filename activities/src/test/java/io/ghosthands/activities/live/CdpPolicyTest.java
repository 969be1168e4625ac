package io.ghosthands.activities.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CdpPolicyTest {

    @Test
    void onlyPageReadsAndInputPassAndNothingAddressedToAnotherSession() {
        CdpPolicy policy = new CdpPolicy(false);
        assertThat(policy.judge("Page.captureScreenshot", false)).isEqualTo(CdpPolicy.Verdict.READ);
        assertThat(policy.judge("Page.startScreencast", false)).isEqualTo(CdpPolicy.Verdict.READ);
        assertThat(policy.judge("Input.dispatchMouseEvent", false)).isEqualTo(CdpPolicy.Verdict.INPUT);
        assertThat(policy.judge("Input.insertText", false)).isEqualTo(CdpPolicy.Verdict.INPUT);
        for (String refused : new String[] {
            "Target.attachToTarget",
            "Target.createTarget",
            "Browser.close",
            "Storage.getCookies",
            "Network.getAllCookies",
            "DOM.setFileInputFiles",
            "Runtime.evaluate",
            "Page.navigate",
            "Page.setDownloadBehavior",
            "Emulation.setDeviceMetricsOverride",
            "Fetch.enable",
            "x",
            ""
        }) {
            assertThat(policy.judge(refused, false)).as(refused).isEqualTo(CdpPolicy.Verdict.REFUSED);
        }
        assertThat(policy.judge(null, false)).isEqualTo(CdpPolicy.Verdict.REFUSED);
        assertThat(policy.judge("Page.captureScreenshot", true)).isEqualTo(CdpPolicy.Verdict.REFUSED);
        assertThat(new CdpPolicy(true).judge("Runtime.evaluate", false)).isEqualTo(CdpPolicy.Verdict.INPUT);
    }

    @Test
    void aRefusalIsACdpErrorAnswerWithTheCommandsId() {
        assertThat(CdpPolicy.refusal(7, "'Target.getTargets' is not \"allowed\""))
                .isEqualTo(
                        "{\"id\":7,\"error\":{\"code\":-32601,\"message\":\"GhostHands live view: 'Target.getTargets' is not \\\"allowed\\\"\"}}");
    }
}
