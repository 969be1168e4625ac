package io.ghosthands.app.support;

import io.ghosthands.app.GhostHands;
import java.util.Map;

/** One API + worker stack shared by the test classes that only need "GhostHands running". */
public final class SharedDevStack {

    private static TestStack stack;

    private SharedDevStack() {}

    public static synchronized TestStack get() {
        if (stack == null) {
            stack = TestStack.start("dev", GhostHands.Roles.DEV, Map.of());
            TestStack s = stack;
            TestShutdown.at(TestShutdown.Phase.STACKS, s::close);
        }
        return stack;
    }
}
