package dev.raceway.agent;

import dev.raceway.core.event.AccessType;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites the methods of an application class: field reads and writes of tracked classes, array element accesses
 * (when switched on), {@code monitorenter}/{@code monitorexit} and {@code Atomic*} calls each get a call to the
 * {@code Bridge} with a site id, using only stack shuffles (no new locals, so no stack map frame changes).
 * Reads are reported after the instruction (with the value read, and so that a volatile read is ordered after the
 * write it saw), writes before it (with the value about to be written).
 */
final class AppClassRewriter implements AsmVisitorWrapper {
    static final String BRIDGE = "dev/raceway/agent/bootstrap/Bridge";
    private static final String FIELD_STATE = "Ldev/raceway/agent/bootstrap/FieldState;";
    private static final Handle FIELD_STATE_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, BRIDGE, "fieldState",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)" + FIELD_STATE, false);
    private static final String ATOMICS = "java/util/concurrent/atomic/";
    private static final Set<String> ATOMIC_CLASSES = Set.of(ATOMICS + "AtomicInteger", ATOMICS + "AtomicLong",
            ATOMICS + "AtomicBoolean", ATOMICS + "AtomicReference");
    private static final Set<String> ATOMIC_READS = Set.of("get", "getPlain", "getAcquire", "getOpaque", "intValue",
            "longValue");
    private static final Set<String> ATOMIC_WRITES = Set.of("set", "lazySet", "setPlain", "setRelease", "setOpaque");
    private static final Set<String> ATOMIC_RMWS = Set.of("getAndSet", "incrementAndGet", "decrementAndGet",
            "getAndIncrement", "getAndDecrement", "addAndGet", "getAndAdd", "updateAndGet", "getAndUpdate");

    private static final String VAR_HANDLE = "java/lang/invoke/VarHandle";

    /** A VarHandle access mode the agent models: the Bridge helper that makes it, its mode, what it is. */
    private record VarHandleOp(String helper, int mode, AccessType access, boolean ordered) {
    }

    private static final Map<String, VarHandleOp> VAR_HANDLE_OPS = Map.ofEntries(
            Map.entry("get", new VarHandleOp("vhGet", 0, AccessType.Read, false)),
            Map.entry("getOpaque", new VarHandleOp("vhGet", 1, AccessType.AtomicRead, false)),
            Map.entry("getAcquire", new VarHandleOp("vhGet", 2, AccessType.AtomicRead, true)),
            Map.entry("getVolatile", new VarHandleOp("vhGet", 3, AccessType.AtomicRead, true)),
            Map.entry("set", new VarHandleOp("vhSet", 0, AccessType.Write, false)),
            Map.entry("setOpaque", new VarHandleOp("vhSet", 1, AccessType.AtomicWrite, false)),
            Map.entry("setRelease", new VarHandleOp("vhSet", 2, AccessType.AtomicWrite, true)),
            Map.entry("setVolatile", new VarHandleOp("vhSet", 3, AccessType.AtomicWrite, true)),
            Map.entry("compareAndSet", new VarHandleOp("vhCas", 0, AccessType.AtomicRMW, true)),
            Map.entry("weakCompareAndSet", new VarHandleOp("vhCas", 1, AccessType.AtomicRMW, true)),
            Map.entry("getAndSet", new VarHandleOp("vhSwap", 3, AccessType.AtomicRMW, true)),
            Map.entry("getAndAdd", new VarHandleOp("vhAdd", 3, AccessType.AtomicRMW, true)));

    /** A resolved field: its declaring class and whether it is volatile; null = not tracked. */
    private record Resolved(String declaringClass, boolean isStatic, boolean isVolatile) {
    }

    private static final Resolved UNTRACKED = new Resolved("", false, false);

    private final AgentSettings settings;
    private final Sites sites;
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();

    AppClassRewriter(AgentSettings settings, Sites sites) {
        this.settings = settings;
        this.sites = sites;
    }

    @Override
    public int mergeWriter(int flags) {
        return flags;
    }

    @Override
    public int mergeReader(int flags) {
        return flags;
    }

    @Override
    public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                             Implementation.Context implementationContext, TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods, int writerFlags,
                             int readerFlags) {
        return new ClassVisitor(OpenedClassReader.ASM_API, classVisitor) {
            private String sourceFile = instrumentedType.getSimpleName() + ".java";
            private boolean constants;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                constants = (version & 0xFFFF) >= Opcodes.V11; // dynamic constants (condy) exist from Java 11
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public void visitSource(String source, String debug) {
                if (source != null) {
                    sourceFile = source;
                }
                super.visitSource(source, debug);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (mv == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return mv;
                }
                // A class initialiser runs under the JVM's class initialisation lock, which orders it before every
                // use of the class; its writes are not data races, and the agent does not model that lock.
                boolean fields = !name.equals("<clinit>");
                // A constructor's accesses to the object under construction happen before it is published.
                String constructing = name.equals("<init>") ? instrumentedType.getName() : null;
                return new Rewriter(mv, sourceFile, typePool, fields, constructing, constants);
            }
        };
    }

    private final class Rewriter extends MethodVisitor {
        private final String file;
        private final TypePool pool;
        private final boolean fields;
        private final String constructing;
        /** Whether the class file can hold a site's field state as a dynamic constant. */
        private final boolean constants;
        private int line;
        /** The name of the VarHandle field read last (the handle a VarHandle call is made on, in javac's code). */
        private String lastHandle = "VarHandle";

        Rewriter(MethodVisitor mv, String file, TypePool pool, boolean fields, String constructing,
                 boolean constants) {
            super(OpenedClassReader.ASM_API, mv);
            this.constants = constants;
            this.file = file;
            this.pool = pool;
            this.fields = fields;
            this.constructing = constructing;
        }

        private String location() {
            return line > 0 ? file + ":" + line : file;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            if ((opcode == Opcodes.GETSTATIC || opcode == Opcodes.GETFIELD) && descriptor.equals("L" + VAR_HANDLE + ";")) {
                lastHandle = name;
            }
            Resolved r = fields ? resolve(pool, owner, name, descriptor) : UNTRACKED;
            if (r != UNTRACKED && !r.isStatic() && r.declaringClass().equals(constructing)) {
                r = UNTRACKED;
            }
            if (r == UNTRACKED) {
                super.visitFieldInsn(opcode, owner, name, descriptor);
                return;
            }
            char t = descriptor.charAt(0);
            char hook = switch (t) {
                case 'Z', 'B', 'C', 'S', 'I' -> 'I';
                case 'J' -> 'J';
                case 'F' -> 'F';
                case 'D' -> 'D';
                default -> 'L';
            };
            boolean wide = hook == 'J' || hook == 'D';
            String value = hook == 'L' ? "Ljava/lang/Object;" : String.valueOf(hook);
            boolean write = opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC;
            int site = sites.field(write, r.declaringClass(), name, location(), r.isStatic(), r.isVolatile(), t);
            switch (opcode) {
                case Opcodes.GETSTATIC -> {
                    super.visitFieldInsn(opcode, owner, name, descriptor);
                    super.visitInsn(wide ? Opcodes.DUP2 : Opcodes.DUP);
                    pushState(site);
                    bridge("getStatic" + hook, "(" + value + "I" + FIELD_STATE + ")V");
                }
                case Opcodes.PUTSTATIC -> {
                    super.visitInsn(wide ? Opcodes.DUP2 : Opcodes.DUP);
                    pushState(site);
                    bridge("putStatic" + hook, "(" + value + "I" + FIELD_STATE + ")V");
                    super.visitFieldInsn(opcode, owner, name, descriptor);
                }
                case Opcodes.GETFIELD -> {
                    // [obj] -> [obj obj] -> [obj v] -> [v obj v] -> hook(obj, v) -> [v]
                    super.visitInsn(Opcodes.DUP);
                    super.visitFieldInsn(opcode, owner, name, descriptor);
                    super.visitInsn(wide ? Opcodes.DUP2_X1 : Opcodes.DUP_X1);
                    pushState(site);
                    bridge("getField" + hook, "(Ljava/lang/Object;" + value + "I" + FIELD_STATE + ")V");
                }
                default -> { // PUTFIELD
                    if (wide) {
                        // [o vv] -> [vv o vv] -> [vv o] -> [o vv o] -> [o o vv o] -> [o o vv] -> [o vv o vv]
                        super.visitInsn(Opcodes.DUP2_X1);
                        super.visitInsn(Opcodes.POP2);
                        super.visitInsn(Opcodes.DUP_X2);
                        super.visitInsn(Opcodes.DUP_X2);
                        super.visitInsn(Opcodes.POP);
                        super.visitInsn(Opcodes.DUP2_X1);
                    } else {
                        super.visitInsn(Opcodes.DUP2);
                    }
                    pushState(site);
                    bridge("putField" + hook, "(Ljava/lang/Object;" + value + "I" + FIELD_STATE + ")V");
                    super.visitFieldInsn(opcode, owner, name, descriptor);
                }
            }
        }

        @Override
        public void visitInsn(int opcode) {
            switch (opcode) {
                case Opcodes.MONITORENTER -> {
                    super.visitInsn(Opcodes.DUP);
                    super.visitInsn(opcode);
                    push(sites.monitor(location()));
                    bridge("monitorEntered", "(Ljava/lang/Object;I)V");
                }
                case Opcodes.MONITOREXIT -> {
                    super.visitInsn(Opcodes.DUP);
                    push(sites.monitor(location()));
                    bridge("monitorExiting", "(Ljava/lang/Object;I)V");
                    super.visitInsn(opcode);
                }
                case Opcodes.IALOAD, Opcodes.LALOAD, Opcodes.FALOAD, Opcodes.DALOAD, Opcodes.AALOAD, Opcodes.BALOAD,
                        Opcodes.CALOAD, Opcodes.SALOAD -> {
                    if (settings.arrays() && fields) {
                        super.visitInsn(Opcodes.DUP2);
                        pushState(sites.array(false, location()));
                        bridge("arrayRead", "(Ljava/lang/Object;II" + FIELD_STATE + ")V");
                    }
                    super.visitInsn(opcode);
                }
                case Opcodes.IASTORE, Opcodes.FASTORE, Opcodes.AASTORE, Opcodes.BASTORE, Opcodes.CASTORE,
                        Opcodes.SASTORE -> {
                    if (settings.arrays() && fields) {
                        // [a i v] -> [v a i v] -> [v a i] -> [a i v a i]
                        super.visitInsn(Opcodes.DUP_X2);
                        super.visitInsn(Opcodes.POP);
                        super.visitInsn(Opcodes.DUP2_X1);
                        pushState(sites.array(true, location()));
                        bridge("arrayWrite", "(Ljava/lang/Object;II" + FIELD_STATE + ")V");
                    }
                    super.visitInsn(opcode);
                }
                case Opcodes.LASTORE, Opcodes.DASTORE -> {
                    if (settings.arrays() && fields) {
                        // [a i vv] -> [vv a i vv] -> [vv a i] -> [a i vv a i]
                        super.visitInsn(Opcodes.DUP2_X2);
                        super.visitInsn(Opcodes.POP2);
                        super.visitInsn(Opcodes.DUP2_X2);
                        pushState(sites.array(true, location()));
                        bridge("arrayWrite", "(Ljava/lang/Object;II" + FIELD_STATE + ")V");
                    }
                    super.visitInsn(opcode);
                }
                default -> super.visitInsn(opcode);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKEVIRTUAL && name.equals("wait")
                    && (descriptor.equals("()V") || descriptor.equals("(J)V"))) {
                waitCall(opcode, owner, name, descriptor, isInterface);
                return;
            }
            if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals(VAR_HANDLE) && fields
                    && varHandleCall(name, descriptor)) {
                return;
            }
            if (opcode != Opcodes.INVOKEVIRTUAL || !ATOMIC_CLASSES.contains(owner)) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                return;
            }
            String className = owner.replace('/', '.');
            if (name.equals("compareAndSet")) {
                int site = sites.atomic(className, AccessType.AtomicRMW, location());
                String helper = switch (owner.substring(ATOMICS.length())) {
                    case "AtomicInteger" -> "casInt";
                    case "AtomicLong" -> "casLong";
                    case "AtomicBoolean" -> "casBoolean";
                    default -> "casReference";
                };
                push(site);
                bridge(helper, "(L" + owner + ";" + descriptor.substring(1, descriptor.indexOf(')')) + "I)Z");
                return;
            }
            AccessType access = ATOMIC_READS.contains(name) ? AccessType.AtomicRead
                    : ATOMIC_WRITES.contains(name) ? AccessType.AtomicWrite
                    : ATOMIC_RMWS.contains(name) ? AccessType.AtomicRMW : null;
            String args = descriptor.substring(1, descriptor.indexOf(')'));
            String ret = descriptor.substring(descriptor.indexOf(')') + 1);
            if (access == null || args.length() > 1 && !args.startsWith("L") || args.startsWith("L")
                    && args.indexOf(';') != args.length() - 1) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                return;
            }
            int site = sites.atomic(className, access, location());
            if (args.isEmpty()) {
                if (access != AccessType.AtomicRead) {
                    super.visitInsn(Opcodes.DUP);
                    push(site);
                    bridge("atomicBefore", "(Ljava/lang/Object;I)V");
                }
                // [r] -> [r r] -> [r result] -> [result r] -> hook(r) -> [result]
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                if (ret.equals("J") || ret.equals("D")) {
                    super.visitInsn(Opcodes.DUP2_X1);
                    super.visitInsn(Opcodes.POP2);
                } else {
                    super.visitInsn(Opcodes.SWAP);
                }
                push(site);
                bridge("atomicAfter", "(Ljava/lang/Object;I)V");
                return;
            }
            // One argument: the hook runs before the call only (the receiver is gone after it).
            if (args.equals("J") || args.equals("D")) {
                // [r vv] -> [vv r vv] -> [vv r] -> [r vv r]
                super.visitInsn(Opcodes.DUP2_X1);
                super.visitInsn(Opcodes.POP2);
                super.visitInsn(Opcodes.DUP_X2);
            } else {
                // [r v] -> [r v r v] -> [r v r]
                super.visitInsn(Opcodes.DUP2);
                super.visitInsn(Opcodes.POP);
            }
            push(site);
            bridge("atomicBefore", "(Ljava/lang/Object;I)V");
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        /**
         * A VarHandle operation on an object's field ({@code (LHolder;[values])R}, values of type int, long,
         * boolean or a reference) becomes a call of the Bridge helper that makes it and reports it. Other shapes
         * (static fields, arrays, other value types, other access modes) are left as they are.
         */
        private boolean varHandleCall(String name, String descriptor) {
            VarHandleOp op = VAR_HANDLE_OPS.get(name);
            if (op == null) {
                return false;
            }
            net.bytebuddy.jar.asm.Type[] args = net.bytebuddy.jar.asm.Type.getArgumentTypes(descriptor);
            net.bytebuddy.jar.asm.Type ret = net.bytebuddy.jar.asm.Type.getReturnType(descriptor);
            if (args.length == 0 || args[0].getSort() != net.bytebuddy.jar.asm.Type.OBJECT) {
                return false;
            }
            int values = switch (op.helper()) {
                case "vhGet" -> 0;
                case "vhCas" -> 2;
                default -> 1;
            };
            if (args.length != 1 + values) {
                return false;
            }
            net.bytebuddy.jar.asm.Type value = values == 0 ? ret : args[1];
            String t = erased(value);
            if (t == null || op.helper().equals("vhAdd") && !(t.equals("I") || t.equals("J"))) {
                return false;
            }
            for (int i = 2; i < args.length; i++) {
                if (!t.equals(erased(args[i]))) {
                    return false;
                }
            }
            String v = t.equals("L") ? "Ljava/lang/Object;" : t;
            String result = switch (op.helper()) {
                case "vhGet", "vhSwap", "vhAdd" -> v;
                case "vhCas" -> "Z";
                default -> "V";
            };
            // javac gives a call used as a statement a void return; otherwise it must be the helper's type.
            boolean discard = ret.getSort() == net.bytebuddy.jar.asm.Type.VOID && !result.equals("V");
            String returned = ret.getSort() == net.bytebuddy.jar.asm.Type.OBJECT
                    || ret.getSort() == net.bytebuddy.jar.asm.Type.ARRAY ? "Ljava/lang/Object;" : ret.getDescriptor();
            if (!discard && !returned.equals(result)) {
                return false;
            }
            int site = sites.varHandle(args[0].getClassName(), lastHandle, location(), op.access(), op.ordered());
            push(op.mode());
            push(site);
            bridge(op.helper() + t, "(L" + VAR_HANDLE + ";Ljava/lang/Object;" + v.repeat(values) + "II)" + result);
            if (discard) {
                super.visitInsn(result.equals("J") ? Opcodes.POP2 : Opcodes.POP);
            } else if (result.equals("Ljava/lang/Object;") && !ret.getInternalName().equals("java/lang/Object")) {
                super.visitTypeInsn(Opcodes.CHECKCAST, ret.getInternalName());
            }
            return true;
        }

        /** I, J, Z or L for the value types the VarHandle helpers take; null for the others. */
        private static String erased(net.bytebuddy.jar.asm.Type type) {
            return switch (type.getSort()) {
                case net.bytebuddy.jar.asm.Type.INT -> "I";
                case net.bytebuddy.jar.asm.Type.LONG -> "J";
                case net.bytebuddy.jar.asm.Type.BOOLEAN -> "Z";
                case net.bytebuddy.jar.asm.Type.OBJECT, net.bytebuddy.jar.asm.Type.ARRAY -> "L";
                default -> null;
            };
        }

        /**
         * {@code Object.wait} gives the monitor up and takes it back: reported as a release before the call and an
         * acquire after it, so whatever the notifier did before it left the monitor is ordered before the waiter.
         */
        private void waitCall(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            int site = sites.monitor(location());
            if (descriptor.equals("()V")) {
                // [r] -> [r r r] -> release(r) -> [r r] -> wait -> [r] -> acquire(r)
                super.visitInsn(Opcodes.DUP);
                super.visitInsn(Opcodes.DUP);
            } else {
                // [r jj] -> [jj r] -> [jj r r r] -> release(r) -> [jj r r] -> [r r jj r r] -> [r r jj]
                super.visitInsn(Opcodes.DUP2_X1);
                super.visitInsn(Opcodes.POP2);
                super.visitInsn(Opcodes.DUP);
                super.visitInsn(Opcodes.DUP);
            }
            push(site);
            bridge("monitorExiting", "(Ljava/lang/Object;I)V");
            if (!descriptor.equals("()V")) {
                super.visitInsn(Opcodes.DUP2_X2);
                super.visitInsn(Opcodes.POP2);
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            push(site);
            bridge("monitorEntered", "(Ljava/lang/Object;I)V");
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // The shuffles above, the site id and its field state need at most six more slots than the original
            // instruction.
            super.visitMaxs(maxStack + 6, maxLocals);
        }

        private void push(int site) {
            if (site <= Short.MAX_VALUE) {
                super.visitIntInsn(site <= Byte.MAX_VALUE ? Opcodes.BIPUSH : Opcodes.SIPUSH, site);
            } else {
                super.visitLdcInsn(site);
            }
        }

        /**
         * Pushes the site id and its field state: a dynamic constant where the class file allows (resolved once,
         * then folded by the JIT), else read from the Bridge's table.
         */
        private void pushState(int site) {
            push(site);
            if (constants) {
                super.visitLdcInsn(new ConstantDynamic("site" + site, FIELD_STATE, FIELD_STATE_BOOTSTRAP, site));
            } else {
                push(site);
                bridge("state", "(I)" + FIELD_STATE);
            }
        }

        private void bridge(String method, String descriptor) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, method, descriptor, false);
        }
    }

    /** The field an instruction names, if it is declared by a tracked class and is not final. */
    private Resolved resolve(TypePool pool, String owner, String name, String descriptor) {
        String ownerName = owner.replace('/', '.');
        if (!settings.tracks(ownerName)) {
            return UNTRACKED;
        }
        return resolved.computeIfAbsent(ownerName + "#" + name + ":" + descriptor, k -> lookUp(pool, ownerName, name));
    }

    /** Walks up from the named class to the one declaring the field; anything unresolvable is not tracked. */
    private Resolved lookUp(TypePool pool, String ownerName, String name) {
        TypePool.Resolution res = pool.describe(ownerName);
        if (!res.isResolved()) {
            return UNTRACKED;
        }
        TypeDefinition type = res.resolve();
        while (type != null) {
            for (FieldDescription f : type.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    String declaring = type.asErasure().getName();
                    if (f.isFinal() || f.isSynthetic() || !settings.tracks(declaring)) {
                        return UNTRACKED;
                    }
                    return new Resolved(declaring, f.isStatic(), f.isVolatile());
                }
            }
            TypeDescription.Generic sup = type.getSuperClass();
            type = sup == null ? null : sup.asErasure();
        }
        return UNTRACKED;
    }
}
