package dev.raceway.core.causality;

import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.VectorClock;

/**
 * Which components of an SDK-sent {@code causality_vector} may create order. A component is per-context when it
 * has the form {@code <service>#<instance>/<context id>}: one sequential context increments it, so an event that
 * has seen value n of it comes after that context's n-th event. Any other component (the reference SDKs'
 * {@code service#instance}, shared by every concurrent request of a process; the TypeScript SDK's root event id) is
 * per-process or unknown: two concurrent contexts can advance it in turn, so comparing it says nothing about order.
 */
final class ClockComponents {
    private ClockComponents() {
    }

    static boolean isPerContext(String component) {
        int hash = component.indexOf('#');
        if (hash < 0) {
            return false;
        }
        int slash = component.indexOf('/', hash + 1);
        return slash > hash + 1 && slash < component.length() - 1;
    }

    /**
     * The per-context component the event's own context increments: {@code service#instance/thread} when present,
     * else the one per-context component of this service ending in {@code /thread}; null when there is none.
     */
    static String ownPerContext(Event e) {
        VectorClock vc = e.causalityVector();
        if (vc.isEmpty()) {
            return null;
        }
        var md = e.metadata();
        String suffix = "/" + md.threadId();
        if (md.instanceId().isPresent()) {
            String c = md.serviceName() + "#" + md.instanceId().get() + suffix;
            if (vc.get(c).isPresent()) {
                return c;
            }
        }
        String prefix = md.serviceName() + "#";
        String found = null;
        for (ClockEntry ce : vc.entries()) {
            String c = ce.component();
            if (c.startsWith(prefix) && c.endsWith(suffix) && isPerContext(c)) {
                if (found != null) {
                    return null;
                }
                found = c;
            }
        }
        return found;
    }
}
