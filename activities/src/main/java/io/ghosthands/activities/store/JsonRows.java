package io.ghosthands.activities.store;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.core.RowMapper;

/**
 * A row as JSON-ready values, column by column in the table's order: {@code jsonb} parsed by the
 * reader the caller chose (the API renders the tree of its own JSON library), timestamps ISO-8601
 * UTC, uuids as text, the rest as JDBC reads them.
 */
public final class JsonRows implements RowMapper<Map<String, Object>> {

    private final Function<String, Object> jsonReader;

    /** @param jsonReader parses a {@code jsonb} value's text into the tree the caller renders */
    public JsonRows(Function<String, Object> jsonReader) {
        this.jsonReader = jsonReader;
    }

    @Override
    public Map<String, Object> mapRow(ResultSet rs, int rowNum) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i), value(rs, i, meta.getColumnTypeName(i)));
        }
        return row;
    }

    private Object value(ResultSet rs, int i, String type) throws SQLException {
        if ("jsonb".equals(type) || "json".equals(type)) {
            String text = rs.getString(i);
            return text == null ? null : jsonReader.apply(text);
        }
        if ("timestamptz".equals(type)) {
            OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
            return t == null ? null : t.toInstant().toString();
        }
        if ("uuid".equals(type)) {
            Object u = rs.getObject(i);
            return u == null ? null : u.toString();
        }
        return rs.getObject(i);
    }
}
