package io.ghosthands.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * For tests that drive the running API over HTTP: the shared stack (API + worker), an HTTP client
 * with the key, pages to open, and SQL access to the mirror.
 */
public abstract class ApiTestBase {

    protected static TestStack stack;
    protected static ApiClient api;
    protected static TestPages pages;
    protected static JdbcTemplate jdbc;

    @BeforeAll
    static void startStack() {
        stack = SharedDevStack.get();
        api = stack.api();
        pages = new TestPages();
        jdbc = new JdbcTemplate(stack.dataSource());
    }

    @AfterAll
    static void stopPages() {
        pages.close();
    }

    /** Creates a job from a JSON body, asserting the 201, and returns its id. */
    protected static String create(String json) {
        ApiClient.Answer answer = api.post("/api/v1/gh/jobs", json);
        assertThat(answer.status()).as("create: %s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }
}
