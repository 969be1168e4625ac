package io.ghosthands.app.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void jdbcUrlsAreUsedAsGiven() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/gh?user=a&password=b");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/gh?user=a&password=b");
        assertThat(url.user()).isNull();
        assertThat(url.describe()).doesNotContain("password=b");
    }

    @Test
    void postgresUrlsBecomeJdbcWithTheirCredentials() {
        DatabaseUrl url =
                DatabaseUrl.parse("postgresql://gh%40corp:s3cr%2Ft@db.example.com:6543/ghosthands?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/ghosthands?sslmode=require");
        assertThat(url.user()).isEqualTo("gh@corp");
        assertThat(url.password()).isEqualTo("s3cr/t");
        assertThat(DatabaseUrl.parse("postgres://u@h/d").jdbcUrl()).isEqualTo("jdbc:postgresql://h/d");
        assertThat(DatabaseUrl.parse("postgres://u@h/d").password()).isNull();
        assertThat(DatabaseUrl.redact("postgresql://u:pw@h/d")).isEqualTo("postgresql://u:***@h/d");
    }

    @Test
    void otherSchemesAreAClearError() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:p@h/d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL must start with")
                .hasMessageNotContaining(":p@");
    }
}
