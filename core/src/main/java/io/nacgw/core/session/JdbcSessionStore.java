package io.nacgw.core.session;

import io.nacgw.core.id.DeviceGuid;
import io.nacgw.core.id.MacAddress;
import io.nacgw.core.policy.Verdict;
import io.nacgw.core.store.StoreDatabase;
import io.nacgw.core.store.StoreEngine;
import io.nacgw.core.store.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link SessionStore} over JDBC (embedded SQLite or PostgreSQL) on the compliance store's database and pool
 * ({@link StoreDatabase}, adding {@link StoreSettings#sessionPoolSize} connections), migrated by the same Flyway
 * scripts. Portable SQL: update first, insert when no row matched.
 *
 * <p>Joining an Access-Accept with accounting: a record for an unknown Acct-Session-Id first claims the NAS's
 * Accept-only row with the same decision id (the echoed Class) or MAC. The Accept is recorded asynchronously, so
 * it may also land after the Start: whichever of the two writes comes second folds the Accept-only row into the
 * accounted one ({@link #absorb}); both run that check after their own commit, so the later check always sees both.
 */
final class JdbcSessionStore implements SessionStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcSessionStore.class);
    private static final int INSERT_RACE_RETRIES = 3;
    private static final String COLUMNS = "id, nas_id, acct_session_id, client, nas_ip, source_address, nas_port, "
            + "nas_port_id, mac, device_id, user_name, framed_ip, class_value, audit_session_id, profile, verdict, "
            + "decision_id, authorized_at, expires_at, started_at, updated_at, stopped_at, terminate_cause, owner_node, "
            + "transport, answer_hash";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM nas_sessions";
    private static final String ACTIVE = "stopped_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";
    private static final String NEWER = "updated_at = CASE WHEN updated_at > ? THEN updated_at ELSE ? END";
    // accounting: a null in the record never erases what an earlier record or the Accept stored
    private static final String MERGE_ACCOUNTING = "UPDATE nas_sessions SET client = ?, nas_ip = ?, source_address = ?, "
            + "transport = ?, nas_port = COALESCE(?, nas_port), nas_port_id = COALESCE(?, nas_port_id), mac = COALESCE(?, mac), "
            + "device_id = COALESCE(?, device_id), user_name = COALESCE(?, user_name), "
            + "framed_ip = COALESCE(?, framed_ip), class_value = COALESCE(?, class_value), "
            + "audit_session_id = COALESCE(?, audit_session_id), expires_at = NULL, "
            + "owner_node = COALESCE(?, owner_node), " + NEWER;
    private static final String WHERE_KEY = " WHERE nas_id = ? AND acct_session_id = ?";
    private static final String UPDATE_START = MERGE_ACCOUNTING + ", started_at = ?, stopped_at = NULL, "
            + "terminate_cause = NULL" + WHERE_KEY;
    private static final String UPDATE_INTERIM = MERGE_ACCOUNTING + WHERE_KEY;
    private static final String UPDATE_STOP = MERGE_ACCOUNTING + ", stopped_at = ?, "
            + "terminate_cause = COALESCE(?, terminate_cause)" + WHERE_KEY;
    private static final String INSERT = "INSERT INTO nas_sessions (" + COLUMNS
            + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    // an Accept: the authorisation's fields replace the old ones; what accounting reported is kept
    private static final String AUTHORIZE = "UPDATE nas_sessions SET client = ?, nas_ip = ?, source_address = ?, "
            + "transport = ?, profile = ?, verdict = ?, decision_id = ?, answer_hash = ?, class_value = ?, "
            + "authorized_at = ?, "
            + "device_id = COALESCE(?, device_id), user_name = COALESCE(user_name, ?), "
            + "nas_port = COALESCE(nas_port, ?), nas_port_id = COALESCE(nas_port_id, ?), "
            + "owner_node = COALESCE(?, owner_node), " + NEWER;
    // package-private: JdbcSessionStoreTest checks their query plans
    static final String AUTHORIZE_ACCOUNTED = AUTHORIZE
            + " WHERE nas_id = ? AND acct_session_id IS NOT NULL AND stopped_at IS NULL AND ";
    static final String AUTHORIZE_ACCEPT_ONLY = AUTHORIZE + ", expires_at = ?, "
            + "started_at = CASE WHEN stopped_at IS NULL AND expires_at > ? THEN started_at ELSE ? END, "
            + "stopped_at = NULL, terminate_cause = NULL WHERE nas_id = ? AND acct_session_id IS NULL AND ";
    private static final String ACCOUNTED_BY_MAC = AUTHORIZE_ACCOUNTED + "mac = ?";
    private static final String ACCOUNTED_BY_DEVICE = AUTHORIZE_ACCOUNTED + "mac IS NULL AND device_id = ?";
    private static final String ACCEPT_ONLY_BY_MAC = AUTHORIZE_ACCEPT_ONLY + "mac = ?";
    private static final String ACCEPT_ONLY_BY_DEVICE = AUTHORIZE_ACCEPT_ONLY + "mac IS NULL AND device_id = ?";
    private static final String FIND_ACCOUNTED = "SELECT id, authorized_at FROM nas_sessions WHERE nas_id = ? "
            + "AND mac = ? AND acct_session_id IS NOT NULL AND stopped_at IS NULL ORDER BY updated_at DESC LIMIT 1";
    private static final String FIND_ACCEPT_ONLY = SELECT + " WHERE nas_id = ? AND mac = ? AND acct_session_id IS NULL "
            + "ORDER BY authorized_at DESC";

    private final StoreDatabase db;
    private final StoreEngine engine;
    private final Clock clock;
    /** This node's name, written as the owner of every session it records; null: no owner (one node). */
    private final String node;
    private final CoaClaims claims;
    /** New session ids, in the order they are made (see SessionIds: inserts append to the primary key's index). */
    private final SessionIds ids;
    /** Statements the Accept path and the fold-in run (tests count them per Accept). */
    private final LongAdder statementsRun = new LongAdder();

    private JdbcSessionStore(StoreDatabase db, Clock clock, String node) {
        this.db = db;
        this.claims = new JdbcCoaClaims(db, clock);
        this.engine = db.engine();
        this.clock = clock;
        this.node = node;
        this.ids = new SessionIds(clock);
    }

    static JdbcSessionStore open(StoreSettings s, Clock clock, String node) {
        if (node != null && (node.isBlank() || node.length() > 64)) {
            throw new IllegalArgumentException("node name must be 1-64 characters, got '" + node + "'");
        }
        StoreDatabase db = StoreDatabase.open(s, "sessions", s.sessionPoolSize());
        log.info("session store open: {}{}", db.description(), node == null ? "" : " as node " + node);
        return new JdbcSessionStore(db, clock, node);
    }

    // ---- accounting ----

    @Override
    public void apply(SessionEvent e) {
        db.ensureUp();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                if (updateAccounted(c, e) > 0) {
                    return;
                }
                String claim = acceptOnlyFor(c, e.nas().id(), e.mac(), e.decisionId());
                if (claim == null || claim(c, claim, e.acctSessionId()) == 0 || updateAccounted(c, e) == 0) {
                    insert(c, e);
                }
                if (e.mac() != null) {
                    try (Statements st = new Statements(c)) {
                        absorb(st, e.nas().id(), e.mac());
                    }
                }
                return;
            } catch (SQLException ex) {
                // two records of a new session raced to insert: the loser now finds the row and updates it
                if (!engine.isDuplicateKey(ex) || attempt >= INSERT_RACE_RETRIES) {
                    throw db.failed("storing accounting " + e.kind() + " for " + e.nas().id() + "/"
                            + e.acctSessionId(), ex);
                }
            }
        }
    }

    private int updateAccounted(Connection c, SessionEvent e) throws SQLException {
        String sql = e.kind() == SessionEvent.Kind.START ? UPDATE_START
                : e.kind() == SessionEvent.Kind.STOP ? UPDATE_STOP : UPDATE_INTERIM;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            long at = e.at().toEpochMilli();
            NasRef n = e.nas();
            int k = 1;
            ps.setString(k++, n.client());
            ps.setString(k++, n.address());
            ps.setString(k++, n.source());
            ps.setString(k++, n.transport().wireName());
            setLong(ps, k++, e.nasPort());
            ps.setString(k++, e.nasPortId());
            setLong(ps, k++, e.mac() == null ? null : e.mac().value());
            ps.setString(k++, device(e.deviceId()));
            ps.setString(k++, e.userName());
            ps.setString(k++, e.framedIp());
            ps.setString(k++, e.classValue());
            ps.setString(k++, e.auditSessionId());
            ps.setString(k++, node);
            ps.setLong(k++, at);
            ps.setLong(k++, at);
            if (e.kind() == SessionEvent.Kind.START) {
                ps.setLong(k++, at);
            } else if (e.kind() == SessionEvent.Kind.STOP) {
                ps.setLong(k++, at);
                setInt(ps, k++, e.terminateCause());
            }
            ps.setString(k++, n.id());
            ps.setString(k, e.acctSessionId());
            return ps.executeUpdate();
        }
    }

    /** The NAS's Accept-only session for this decision id (preferred) or MAC, or null. */
    private static String acceptOnlyFor(Connection c, String nasId, MacAddress mac, String decisionId)
            throws SQLException {
        for (int pass = 0; pass < 2; pass++) {
            boolean byDecision = pass == 0;
            if (byDecision ? decisionId == null : mac == null) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM nas_sessions WHERE nas_id = ? "
                    + "AND acct_session_id IS NULL AND stopped_at IS NULL AND " + (byDecision ? "decision_id = ?"
                    : "mac = ?") + " ORDER BY authorized_at DESC LIMIT 1")) {
                ps.setString(1, nasId);
                if (byDecision) {
                    ps.setString(2, decisionId);
                } else {
                    ps.setLong(2, mac.value());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
        }
        return null;
    }

    private static int claim(Connection c, String id, String acctSessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE nas_sessions SET acct_session_id = ? WHERE id = ? AND acct_session_id IS NULL")) {
            ps.setString(1, acctSessionId);
            ps.setString(2, id);
            return ps.executeUpdate();
        }
    }

    private void insert(Connection c, SessionEvent e) throws SQLException {
        long at = e.at().toEpochMilli();
        boolean stop = e.kind() == SessionEvent.Kind.STOP;
        // an interim or stop for an unseen session: it started no later than this
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bindRow(ps, ids.next(), e.nas(), e.acctSessionId(), e.nasPort(), e.nasPortId(), e.mac(), e.deviceId(),
                    e.userName(), e.framedIp(), e.classValue(), e.auditSessionId(), null, null, null, null, null, at,
                    stop ? at : null, stop ? e.terminateCause() : null, null);
            ps.executeUpdate();
        }
    }

    /** Binds {@link #INSERT}'s parameters on {@code ps}. */
    private void bindRow(PreparedStatement ps, String id, NasRef n, String acctSessionId, Long nasPort,
                                  String nasPortId, MacAddress mac, DeviceGuid deviceId, String userName,
                                  String framedIp, String classValue, String auditSessionId, String profile,
                                  Verdict verdict, String decisionId, Long authorizedAt, Long expiresAt, long at,
                                  Long stoppedAt, Integer terminateCause, Long answerHash) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, n.id());
        ps.setString(3, acctSessionId);
        ps.setString(4, n.client());
        ps.setString(5, n.address());
        ps.setString(6, n.source());
        setLong(ps, 7, nasPort);
        ps.setString(8, nasPortId);
        setLong(ps, 9, mac == null ? null : mac.value());
        ps.setString(10, device(deviceId));
        ps.setString(11, userName);
        ps.setString(12, framedIp);
        ps.setString(13, classValue);
        ps.setString(14, auditSessionId);
        ps.setString(15, profile);
        ps.setString(16, verdict == null ? null : verdict.wireName());
        ps.setString(17, decisionId);
        setLong(ps, 18, authorizedAt);
        setLong(ps, 19, expiresAt);
        ps.setLong(20, at);
        ps.setLong(21, at);
        setLong(ps, 22, stoppedAt);
        setInt(ps, 23, terminateCause);
        ps.setString(24, node);
        ps.setString(25, n.transport().wireName());
        setLong(ps, 26, answerHash);
    }

    /**
     * When the NAS has both an accounted live session and Accept-only rows for {@code mac}, the newest Accept's
     * authorisation moves onto the accounted session (unless it already holds a newer one) and the Accept-only
     * rows go: they described the same session before accounting named it.
     */
    private void absorb(Statements st, String nasId, MacAddress mac) throws SQLException {
        String accounted = null;
        long accountedAuth = Long.MIN_VALUE;
        PreparedStatement find = st.prepare(FIND_ACCOUNTED);
        find.setString(1, nasId);
        find.setLong(2, mac.value());
        try (ResultSet rs = st.query(find)) {
            if (rs.next()) {
                accounted = rs.getString(1);
                long a = rs.getLong(2);
                accountedAuth = rs.wasNull() ? Long.MIN_VALUE : a;
            }
        }
        if (accounted == null) {
            return;
        }
        PreparedStatement findAcceptOnly = st.prepare(FIND_ACCEPT_ONLY);
        findAcceptOnly.setString(1, nasId);
        findAcceptOnly.setLong(2, mac.value());
        List<Session> acceptOnly = new ArrayList<>();
        try (ResultSet rs = st.query(findAcceptOnly)) {
            while (rs.next()) {
                acceptOnly.add(row(rs));
            }
        }
        if (acceptOnly.isEmpty()) {
            return;
        }
        Session a = acceptOnly.get(0);
        if (a.authorizedAt() != null && a.authorizedAt().toEpochMilli() > accountedAuth) {
            PreparedStatement ps = st.prepare(AUTHORIZE + " WHERE id = ?");
            int k = bindAuthorize(ps, a.nas(), a.profile(), a.verdict(), a.decisionId(), a.answerHash(),
                    a.classValue(), a.authorizedAt().toEpochMilli(), a.deviceId(), a.userName(), a.nasPort(),
                    a.nasPortId(), a.owner(), a.updatedAt().toEpochMilli());
            ps.setString(k, accounted);
            st.update(ps);
        }
        PreparedStatement delete = st.prepare("DELETE FROM nas_sessions WHERE id = ? AND acct_session_id IS NULL");
        for (Session s : acceptOnly) {
            delete.setString(1, s.id());
            st.update(delete);
        }
    }

    // ---- Access-Accepts ----

    /**
     * One batch in one transaction. A MAC's rows are looked up for the whole batch first (one query per
     * {@value SessionStore#MAX_LOOKUP_KEYS} MACs), so an Accept runs only the statements that can change a row: a
     * new MAC costs one insert, sent with the batch's other inserts as one JDBC batch. The lookup only skips
     * statements that would match nothing; a row another node writes meanwhile (PostgreSQL) is caught as before by
     * the post-commit check ({@link #absorbAfterCommit}).
     */
    @Override
    public void recordAuthorizations(List<Authorization> batch) {
        if (batch.isEmpty()) {
            return;
        }
        db.ensureUp();
        List<Authorization> acceptOnly = new ArrayList<>();
        try (Connection c = db.connection(); Statements st = new Statements(c)) {
            c.setAutoCommit(false);
            try {
                Map<Long, List<KnownRow>> known = knownRows(st, batch);
                Inserts inserts = new Inserts(st);
                for (Authorization a : batch) {
                    if (a.mac() == null) { // by device: no lookup, the statements in turn (rows of one device in order)
                        inserts.flush();
                        if (authorize(st, a, false) == 0 && authorize(st, a, true) == 0) {
                            inserts.add(a);
                        }
                        continue;
                    }
                    if (inserts.pending(a.mac())) { // its row is not in the table yet: the statements below need it
                        inserts.flush();
                    }
                    List<KnownRow> rows = known.computeIfAbsent(a.mac().value(), m -> new ArrayList<>());
                    if (KnownRow.any(rows, a.nas().id(), true, false) && authorize(st, a, false) > 0) {
                        continue;
                    }
                    if (!KnownRow.any(rows, a.nas().id(), false, null) || authorize(st, a, true) == 0) {
                        inserts.add(a);
                        rows.add(new KnownRow(a.nas().id(), false, false));
                    }
                    KnownRow.liveOnlyOn(rows, a.nas().id());
                    if (KnownRow.anyElsewhere(rows, a.nas().id())) {
                        endElsewhere(st, a);
                        KnownRow.endElsewhere(rows, a.nas().id());
                    }
                    acceptOnly.add(a);
                }
                inserts.flush();
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                c.setAutoCommit(true);
            }
            absorbAfterCommit(st, acceptOnly);
        } catch (SQLException ex) {
            throw db.failed("recording " + batch.size() + " Access-Accept(s)", ex);
        }
    }

    /**
     * The rows the batch's Accepts may touch, by MAC: every Accept-only row (live or not: an Accept revives its NAS's)
     * and every live accounted one.
     */
    private static Map<Long, List<KnownRow>> knownRows(Statements st, List<Authorization> batch) throws SQLException {
        List<Long> macs = distinctMacs(batch);
        Map<Long, List<KnownRow>> known = new HashMap<>();
        for (int from = 0; from < macs.size(); from += MAX_LOOKUP_KEYS) {
            List<Long> chunk = macs.subList(from, Math.min(macs.size(), from + MAX_LOOKUP_KEYS));
            PreparedStatement ps = st.prepare(knownRowsSql(chunk.size()));
            for (int i = 0; i < chunk.size(); i++) {
                ps.setLong(i + 1, chunk.get(i));
            }
            try (ResultSet rs = st.query(ps)) {
                while (rs.next()) {
                    known.computeIfAbsent(rs.getLong(1), m -> new ArrayList<>())
                            .add(new KnownRow(rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
        }
        return known;
    }

    /** The lookup of {@link #knownRows} for {@code macs} MACs (package-private: JdbcSessionStoreTest checks its plan). */
    static String knownRowsSql(int macs) {
        return "SELECT mac, nas_id, acct_session_id IS NOT NULL, stopped_at IS NOT NULL FROM nas_sessions WHERE mac IN ("
                + placeholders(macs) + ") AND (acct_session_id IS NULL OR stopped_at IS NULL)";
    }

    private static List<Long> distinctMacs(List<Authorization> batch) {
        List<Long> macs = new ArrayList<>(batch.size());
        Set<Long> seen = new HashSet<>();
        for (Authorization a : batch) {
            if (a.mac() != null && seen.add(a.mac().value())) {
                macs.add(a.mac().value());
            }
        }
        return macs;
    }

    /**
     * After the commit: the Accept-only sessions just written whose NAS now also has an accounted live session for
     * the MAC (a Start committed concurrently) are folded into it. One query for the batch; {@link #absorb} only
     * where it found one.
     */
    private void absorbAfterCommit(Statements st, List<Authorization> acceptOnly) throws SQLException {
        if (acceptOnly.isEmpty()) {
            return;
        }
        List<Long> macs = distinctMacs(acceptOnly);
        Set<String> accounted = new HashSet<>();
        for (int from = 0; from < macs.size(); from += MAX_LOOKUP_KEYS) {
            List<Long> chunk = macs.subList(from, Math.min(macs.size(), from + MAX_LOOKUP_KEYS));
            PreparedStatement ps = st.prepare("SELECT nas_id, mac FROM nas_sessions WHERE mac IN ("
                    + placeholders(chunk.size()) + ") AND acct_session_id IS NOT NULL AND stopped_at IS NULL");
            for (int i = 0; i < chunk.size(); i++) {
                ps.setLong(i + 1, chunk.get(i));
            }
            try (ResultSet rs = st.query(ps)) {
                while (rs.next()) {
                    accounted.add(rs.getString(1) + '\0' + rs.getLong(2));
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (Authorization a : acceptOnly) {
            String key = a.nas().id() + '\0' + a.mac().value();
            if (accounted.contains(key) && done.add(key)) {
                absorb(st, a.nas().id(), a.mac());
            }
        }
    }

    /**
     * What the batch's lookup found for one MAC, kept up to date as the batch writes: the NAS, whether accounting
     * names the session, whether it has ended.
     */
    private static final class KnownRow {
        final String nasId;
        final boolean accounted;
        boolean stopped;

        KnownRow(String nasId, boolean accounted, boolean stopped) {
            this.nasId = nasId;
            this.accounted = accounted;
            this.stopped = stopped;
        }

        /** A row on {@code nasId} with this {@code accounted} flag, live (stopped false) or either (null). */
        static boolean any(List<KnownRow> rows, String nasId, boolean accounted, Boolean stopped) {
            for (KnownRow r : rows) {
                if (r.nasId.equals(nasId) && r.accounted == accounted && (stopped == null || r.stopped == stopped)) {
                    return true;
                }
            }
            return false;
        }

        /** The Accept-only rows of {@code nasId} are live again (the Accept revived them or inserted one). */
        static void liveOnlyOn(List<KnownRow> rows, String nasId) {
            for (KnownRow r : rows) {
                if (!r.accounted && r.nasId.equals(nasId)) {
                    r.stopped = false;
                }
            }
        }

        /** A live Accept-only row on another NAS than {@code nasId}: what {@link #endElsewhere} ends. */
        static boolean anyElsewhere(List<KnownRow> rows, String nasId) {
            for (KnownRow r : rows) {
                if (!r.accounted && !r.stopped && !r.nasId.equals(nasId)) {
                    return true;
                }
            }
            return false;
        }

        static void endElsewhere(List<KnownRow> rows, String nasId) {
            for (KnownRow r : rows) {
                if (!r.accounted && !r.nasId.equals(nasId)) {
                    r.stopped = true;
                }
            }
        }
    }

    /** The batch's new Accept-only rows, sent as one JDBC batch (before a statement that needs one of them). */
    private final class Inserts {
        private final Statements st;
        private final Set<Long> pendingMacs = new HashSet<>();
        private int pending;

        Inserts(Statements st) {
            this.st = st;
        }

        void add(Authorization a) throws SQLException {
            long at = a.at().toEpochMilli();
            PreparedStatement ps = st.prepare(INSERT);
            bindRow(ps, ids.next(), a.nas(), null, a.nasPort(), a.nasPortId(), a.mac(), a.deviceId(), a.userName(), null,
                    a.classValue(), null, a.profile(), a.verdict(), a.decisionId(), at, a.expiresAt().toEpochMilli(),
                    at, null, null, a.answerHash());
            ps.addBatch();
            pending++;
            if (a.mac() != null) {
                pendingMacs.add(a.mac().value());
            }
        }

        boolean pending(MacAddress mac) {
            return pendingMacs.contains(mac.value());
        }

        void flush() throws SQLException {
            if (pending > 0) {
                st.batch(st.prepare(INSERT));
                pending = 0;
                pendingMacs.clear();
            }
        }
    }

    /**
     * The endpoint was just authorised on {@code a}'s NAS: its Accept-only sessions on other NASes end (it roamed or
     * moved ports). Sessions accounting reports are left to accounting's Stop.
     */
    private static void endElsewhere(Statements st, Authorization a) throws SQLException {
        PreparedStatement ps = st.prepare("UPDATE nas_sessions SET stopped_at = ? WHERE mac = ? "
                + "AND nas_id <> ? AND acct_session_id IS NULL AND stopped_at IS NULL");
        ps.setLong(1, a.at().toEpochMilli());
        ps.setLong(2, a.mac().value());
        ps.setString(3, a.nas().id());
        st.update(ps);
    }

    /**
     * The statements of one batch on one connection, each prepared once: preparing (SQLite compiles the SQL every
     * time) cost more than executing when every Access-Accept prepared its four statements afresh. Counts the
     * statements it runs (a JDBC batch counts once: one call, one round trip on PostgreSQL).
     */
    private final class Statements implements AutoCloseable {
        final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement ps = prepared.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                prepared.put(sql, ps);
            }
            return ps;
        }

        int update(PreparedStatement ps) throws SQLException {
            statementsRun.increment();
            return ps.executeUpdate();
        }

        ResultSet query(PreparedStatement ps) throws SQLException {
            statementsRun.increment();
            return ps.executeQuery();
        }

        void batch(PreparedStatement ps) throws SQLException {
            statementsRun.increment();
            ps.executeBatch();
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement ps : prepared.values()) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            prepared.clear();
            if (first != null) {
                throw first;
            }
        }
    }

    /**
     * Applies {@code a} to the session {@link #AUTHORIZE_ACCOUNTED} or (acceptOnly) {@link #AUTHORIZE_ACCEPT_ONLY}
     * selects (by MAC, else by device); returns rows changed.
     */
    private int authorize(Statements st, Authorization a, boolean acceptOnly) throws SQLException {
        PreparedStatement ps = st.prepare(acceptOnly ? (a.mac() != null ? ACCEPT_ONLY_BY_MAC : ACCEPT_ONLY_BY_DEVICE)
                : (a.mac() != null ? ACCOUNTED_BY_MAC : ACCOUNTED_BY_DEVICE));
        long at = a.at().toEpochMilli();
        int k = bindAuthorize(ps, a.nas(), a.profile(), a.verdict(), a.decisionId(), a.answerHash(), a.classValue(),
                at, a.deviceId(), a.userName(), a.nasPort(), a.nasPortId(), node, at);
        if (acceptOnly) {
            ps.setLong(k++, a.expiresAt().toEpochMilli());
            ps.setLong(k++, at);
            ps.setLong(k++, at);
        }
        ps.setString(k++, a.nas().id());
        if (a.mac() != null) {
            ps.setLong(k, a.mac().value());
        } else {
            ps.setString(k, device(a.deviceId()));
        }
        return st.update(ps);
    }

    private static int bindAuthorize(PreparedStatement ps, NasRef n, String profile, Verdict verdict,
                                     String decisionId, Long answerHash, String classValue, long authorizedAt,
                                     DeviceGuid deviceId,
                                     String userName, Long nasPort, String nasPortId, String owner,
                                     long updatedAt)
            throws SQLException {
        int k = 1;
        ps.setString(k++, n.client());
        ps.setString(k++, n.address());
        ps.setString(k++, n.source());
        ps.setString(k++, n.transport().wireName());
        ps.setString(k++, profile);
        ps.setString(k++, verdict == null ? null : verdict.wireName());
        ps.setString(k++, decisionId);
        setLong(ps, k++, answerHash);
        ps.setString(k++, classValue);
        ps.setLong(k++, authorizedAt);
        ps.setString(k++, device(deviceId));
        ps.setString(k++, userName);
        setLong(ps, k++, nasPort);
        ps.setString(k++, nasPortId);
        ps.setString(k++, owner);
        ps.setLong(k++, updatedAt);
        ps.setLong(k++, updatedAt);
        return k;
    }

    // ---- ending sessions ----

    @Override
    public int closeAll(String nasId, Instant at) {
        return update("closing the sessions of " + nasId, "UPDATE nas_sessions SET stopped_at = ?, " + NEWER
                + " WHERE nas_id = ? AND stopped_at IS NULL", at.toEpochMilli(), at.toEpochMilli(), at.toEpochMilli(),
                nasId);
    }

    @Override
    public boolean stop(String sessionId, Instant at, Integer terminateCause) {
        return update("stopping session " + sessionId, "UPDATE nas_sessions SET stopped_at = ?, "
                + "terminate_cause = COALESCE(?, terminate_cause), " + NEWER + " WHERE id = ? AND stopped_at IS NULL",
                at.toEpochMilli(), terminateCause, at.toEpochMilli(), at.toEpochMilli(), sessionId) > 0;
    }

    @Override
    public boolean answered(String sessionId, String decisionId, long answerHash) {
        return update("recording the answer of session " + sessionId, "UPDATE nas_sessions SET answer_hash = ? "
                + "WHERE id = ? AND stopped_at IS NULL AND " + (decisionId == null ? "decision_id IS NULL"
                : "decision_id = ?"), decisionId == null ? new Object[]{answerHash, sessionId}
                : new Object[]{answerHash, sessionId, decisionId}) > 0;
    }

    @Override
    public int purgeEndedBefore(Instant cutoff) {
        long t = cutoff.toEpochMilli();
        return update("purging ended sessions", "DELETE FROM nas_sessions WHERE stopped_at < ? "
                + "OR (stopped_at IS NULL AND expires_at < ?)", t, t);
    }

    private int update(String what, String sql, Object... args) {
        db.ensureUp();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw db.failed(what, e);
        }
    }

    // ---- reads ----

    @Override
    public Optional<Session> find(String sessionId) {
        return first(read(SELECT + " WHERE id = ?", sessionId));
    }

    @Override
    public Optional<Session> get(String nasId, String acctSessionId) {
        return first(read(SELECT + WHERE_KEY, nasId, acctSessionId));
    }

    private static Optional<Session> first(List<Session> l) {
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<Session> activeSessionsForMac(MacAddress mac) {
        return read(SELECT + " WHERE mac = ? AND " + ACTIVE + " ORDER BY updated_at DESC", mac.value(), now());
    }

    @Override
    public List<Session> activeSessionsForDevice(DeviceGuid deviceId) {
        return read(SELECT + " WHERE device_id = ? AND " + ACTIVE + " ORDER BY updated_at DESC", device(deviceId), now());
    }

    @Override
    public List<Session> activeSessionsFor(Collection<DeviceGuid> deviceIds, Collection<MacAddress> macs) {
        List<Object> ids = deviceIds.stream().<Object>map(JdbcSessionStore::device).distinct().toList();
        List<Object> mcs = macs.stream().<Object>map(MacAddress::value).distinct().toList();
        Map<String, Session> found = new LinkedHashMap<>();
        int queries = 0;
        for (int i = 0, j = 0; i < ids.size() || j < mcs.size(); queries++) {
            int ni = Math.min(ids.size() - i, MAX_LOOKUP_KEYS);
            int nm = Math.min(mcs.size() - j, MAX_LOOKUP_KEYS - ni);
            List<Object> args = new ArrayList<>(ids.subList(i, i + ni));
            args.addAll(mcs.subList(j, j + nm));
            args.add(now());
            String where = ni == 0 ? "" : "device_id IN (" + placeholders(ni) + ")";
            where += nm == 0 ? "" : (ni == 0 ? "" : " OR ") + "mac IN (" + placeholders(nm) + ")";
            for (Session s : read(SELECT + " WHERE (" + where + ") AND " + ACTIVE + " ORDER BY updated_at DESC",
                    args.toArray())) {
                found.putIfAbsent(s.id(), s);
            }
            i += ni;
            j += nm;
        }
        List<Session> out = new ArrayList<>(found.values());
        if (queries > 1) { // newest first across the queries too
            out.sort(Comparator.comparing(Session::updatedAt).reversed());
        }
        return out;
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    @Override
    public List<Session> list(SessionFilter f) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.nas() != null) {
            String bare = NasRef.canonicalAddress(f.nas());
            sql.append(" AND (nas_id IN (?, ?, ?, ?) OR nas_ip = ? OR client = ?)");
            args.addAll(List.of(f.nas(), "ip:" + bare, "ipv6:" + bare, "id:" + f.nas(), bare, f.nas()));
        }
        if (f.mac() != null) {
            sql.append(" AND mac = ?");
            args.add(f.mac().value());
        }
        if (f.deviceId() != null) {
            sql.append(" AND device_id = ?");
            args.add(device(f.deviceId()));
        }
        if (f.profile() != null) {
            sql.append(" AND profile = ?");
            args.add(f.profile());
        }
        if (f.activeOnly()) {
            sql.append(" AND ").append(ACTIVE);
            args.add(now());
        }
        sql.append(" ORDER BY updated_at DESC LIMIT ?");
        args.add(f.limit());
        return read(sql.toString(), args.toArray());
    }

    @Override
    public List<Session> activeSessionsAfter(String afterId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return afterId == null
                ? read(SELECT + " WHERE " + ACTIVE + " ORDER BY id LIMIT ?", now(), limit)
                : read(SELECT + " WHERE id > ? AND " + ACTIVE + " ORDER BY id LIMIT ?", afterId, now(), limit);
    }

    @Override
    public long activeCount() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM nas_sessions WHERE " + ACTIVE)) {
            ps.setLong(1, now());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw db.failed("counting active sessions", e);
        }
    }

    private long now() {
        return clock.millis();
    }

    private List<Session> read(String sql, Object... args) {
        db.ensureUp();
        try (Connection c = db.connection()) {
            return query(c, sql, args);
        } catch (SQLException e) {
            throw db.failed("session query", e);
        }
    }

    private static List<Session> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.INTEGER);
            } else if (a instanceof Long) {
                ps.setLong(i + 1, (Long) a);
            } else if (a instanceof Integer) {
                ps.setInt(i + 1, (Integer) a);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    private static Session row(ResultSet rs) throws SQLException {
        NasRef nas = new NasRef(rs.getString(2), rs.getString(4), rs.getString(5), rs.getString(6),
                NasTransport.fromWire(rs.getString(25)));
        Long mac = getLong(rs, 9);
        String dev = rs.getString(10);
        String verdict = rs.getString(16);
        Integer cause = rs.getInt(23);
        cause = rs.wasNull() ? null : cause;
        return new Session(rs.getString(1), nas, rs.getString(3), getLong(rs, 7), rs.getString(8),
                mac == null ? null : MacAddress.of(mac), dev == null ? null : DeviceGuid.intune(dev),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                verdict == null ? null : Verdict.fromWire(verdict), rs.getString(17), instant(getLong(rs, 18)),
                instant(getLong(rs, 19)), Instant.ofEpochMilli(rs.getLong(20)), Instant.ofEpochMilli(rs.getLong(21)),
                instant(getLong(rs, 22)), cause, rs.getString(24), getLong(rs, 26));
    }

    private static Long getLong(ResultSet rs, int k) throws SQLException {
        long v = rs.getLong(k);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static String device(DeviceGuid d) {
        return d == null ? null : d.uuid().toString();
    }

    private static void setLong(PreparedStatement ps, int k, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(k, Types.BIGINT);
        } else {
            ps.setLong(k, v);
        }
    }

    private static void setInt(PreparedStatement ps, int k, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(k, Types.INTEGER);
        } else {
            ps.setInt(k, v);
        }
    }

    /** Statements run by the Accept path and the fold-in of Accept-only rows so far (a JDBC batch counts once). */
    long statementsRun() {
        return statementsRun.sum();
    }

    @Override
    public CoaClaims claims() {
        return claims;
    }

    @Override
    public void close() {
        db.close();
        log.info("session store closed: {}", db.description());
    }

    @Override
    public String toString() {
        return "JdbcSessionStore[" + db.description() + "]";
    }
}
