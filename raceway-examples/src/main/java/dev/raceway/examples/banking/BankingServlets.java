package dev.raceway.examples.banking;

import dev.raceway.examples.common.JsonBodies;
import dev.raceway.examples.common.JsonBodies.BadRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The banking service's HTTP endpoints. */
final class BankingServlets {
    private BankingServlets() {
    }

    /** The body of {@code POST /api/transfer}. */
    record TransferRequest(String from, String to, Long amount) {
    }

    /** {@code POST /api/transfer} {@code {"from":"alice","to":"bob","amount":10}}. */
    static final class Transfer extends HttpServlet {
        private final transient Bank bank;

        Transfer(Bank bank) {
            this.bank = bank;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try {
                TransferRequest t = JsonBodies.read(req, TransferRequest.class);
                if (t.from() == null || t.to() == null || t.amount() == null) {
                    throw new BadRequest("from, to and amount are required");
                }
                TransferResult result = bank.transfer(t.from(), t.to(), t.amount());
                JsonBodies.write(resp, result.success() ? 200 : 409, result);
            } catch (BadRequest | IllegalArgumentException e) {
                JsonBodies.write(resp, 400, Map.of("success", false, "error", e.getMessage()));
            } catch (Bank.UnknownAccount e) {
                JsonBodies.write(resp, 404, Map.of("success", false, "error", e.getMessage()));
            }
        }
    }

    /** {@code GET /api/balance/{account}}. */
    static final class Balance extends HttpServlet {
        private final transient Bank bank;

        Balance(Bank bank) {
            this.bank = bank;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String account = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
            var balance = bank.balance(account);
            if (balance.isEmpty()) {
                JsonBodies.write(resp, 404, Map.of("success", false, "error", "unknown account '" + account + "'"));
                return;
            }
            JsonBodies.write(resp, 200, Map.of("account", account, "balance", balance.get()));
        }
    }

    /**
     * {@code GET /api/accounts}: every balance, the mode, the opening balances and the Raceway server the service
     * reports to (the driver points there); {@code POST} resets the balances.
     */
    static final class Accounts extends HttpServlet {
        private final transient Bank bank;
        private final String racewayUrl;

        Accounts(Bank bank, String racewayUrl) {
            this.bank = bank;
            this.racewayUrl = racewayUrl;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("mode", bank.mode().wireName());
            body.put("balances", bank.balances());
            body.put("opening_balances", Bank.OPENING_BALANCES);
            body.put("raceway", racewayUrl);
            JsonBodies.write(resp, 200, body);
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            bank.reset();
            doGet(req, resp);
        }
    }

    /** {@code GET /}: the page with the "trigger race" button. */
    static final class Page extends HttpServlet {
        private final transient byte[] html;

        Page(String racewayUrl) {
            try (InputStream in = Page.class.getResourceAsStream("banking.html")) {
                if (in == null) {
                    throw new IllegalStateException("banking.html is missing from the classpath");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                this.html = text.replace("{{RACEWAY_URL}}", racewayUrl).getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read banking.html", e);
            }
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (!"/".equals(req.getRequestURI())) {
                resp.sendError(404);
                return;
            }
            resp.setContentType("text/html");
            resp.setCharacterEncoding("UTF-8");
            resp.getOutputStream().write(html);
        }
    }
}
