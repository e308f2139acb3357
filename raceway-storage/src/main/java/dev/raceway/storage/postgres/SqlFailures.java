package dev.raceway.storage.postgres;

import dev.raceway.storage.StorageException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Turns JDBC/Jdbi failures into {@link StorageException}s that say whether a retry can help. */
final class SqlFailures {
    static final String UNIQUE_VIOLATION = "23505";

    private SqlFailures() {
    }

    static StorageException wrap(String what, Throwable t) {
        if (t instanceof StorageException s) {
            return s;
        }
        boolean transientFailure = isTransient(t);
        return new StorageException(what + " failed" + (transientFailure ? " (database unavailable)" : "") + ": "
                + describe(t), transientFailure, t);
    }

    /** The SQLSTATE of the first {@link SQLException} in the cause chain, or empty text. */
    static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
        }
        return "";
    }

    /** The connection itself is broken (SQLState class 08, or an I/O failure underneath). */
    static boolean isConnectionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLRecoverableException || c instanceof IOException) {
                return true;
            }
            if (c instanceof SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLTransientException || c instanceof SQLRecoverableException || c instanceof IOException) {
                return true;
            }
            if (c instanceof SQLException e && e.getSQLState() != null) {
                String state = e.getSQLState();
                if (state.startsWith("08") // connection exception
                        || state.startsWith("53") // insufficient resources
                        || state.startsWith("57P") // admin/crash shutdown, cannot connect now
                        || state.equals("40001") // serialization failure
                        || state.equals("40P01") // deadlock detected
                        || state.equals("55P03") // lock not available
                        || state.equals("57014")) { // query cancelled (statement timeout)
                    return true;
                }
            }
            if (c.getClass().getName().equals("org.jdbi.v3.core.ConnectionException")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            root = c;
            if (c instanceof SQLException) {
                break;
            }
        }
        String state = root instanceof SQLException e && e.getSQLState() != null ? " [SQLSTATE " + e.getSQLState() + "]"
                : "";
        return String.valueOf(root.getMessage()) + state;
    }
}
