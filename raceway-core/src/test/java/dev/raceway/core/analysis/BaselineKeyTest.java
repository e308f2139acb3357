package dev.raceway.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.MemoryOrdering;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BaselineKeyTest {
    private static final List<EventKind> KINDS = List.of(
            new EventKind.FunctionCall("transfer", "bank", JsonValue.NULL, "Bank.java", 1),
            new EventKind.FunctionCall("transfer", "other", JsonValue.NULL, "Other.java", 9),
            new EventKind.FunctionCall("audit", "bank", JsonValue.NULL, "Bank.java", 1),
            new EventKind.StateChange("a.balance", Optional.empty(), JsonValue.NULL, "x:1", AccessType.Read),
            new EventKind.StateChange("a.balance", Optional.empty(), JsonValue.NULL, "x:2", AccessType.Write),
            new EventKind.StateChange("b.balance", Optional.empty(), JsonValue.NULL, "x:1", AccessType.Read),
            new EventKind.LockAcquire("l1", "Mutex", "x:1"),
            new EventKind.LockAcquire("l2", "RwLock::Read", "x:1"),
            new EventKind.LockRelease("l1", "Mutex", "x:1"),
            new EventKind.HttpRequest("GET", "/a", Map.of(), Optional.empty()),
            new EventKind.HttpRequest("POST", "/a", Map.of(), Optional.empty()),
            new EventKind.HttpResponse(200, Map.of(), Optional.empty(), 3),
            new EventKind.HttpResponse(500, Map.of(), Optional.empty(), 3),
            new EventKind.Error("Timeout", "m", List.of()),
            new EventKind.Custom("checkout", JsonValue.NULL),
            new EventKind.MemoryFence(MemoryOrdering.SeqCst, "x:1"),
            new EventKind.DatabaseResult(3),
            new EventKind.Extension("FunctionReturn", JsonValue.NULL));

    @Test
    void variantAndDiscriminatorDetermineTheKeyExactly() {
        for (EventKind a : KINDS) {
            for (EventKind b : KINDS) {
                boolean sameInputs = a.variant().equals(b.variant())
                        && BaselineKey.discriminator(a).equals(BaselineKey.discriminator(b));
                assertThat(BaselineKey.of(a).equals(BaselineKey.of(b))).as("%s vs %s", a, b).isEqualTo(sameInputs);
            }
        }
    }

    @Test
    void keysNameTheVariantAndItsDiscriminator() {
        assertThat(BaselineKey.of(KINDS.get(0))).isEqualTo("FunctionCall(transfer)");
        assertThat(BaselineKey.of(KINDS.get(11))).isEqualTo("HttpResponse(200)");
        assertThat(BaselineKey.of(KINDS.get(17))).isEqualTo("FunctionReturn");
    }
}
