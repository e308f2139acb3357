package dev.raceway.agent.e2e;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** Writes a class whose {@code static int run()} increments a static field {@code n} times in one method. */
final class HugeClass {
    private HugeClass() {
    }

    static byte[] bytes(String internalName, int increments) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, internalName, null, "java/lang/Object", null);
        cw.visitSource("Huge.java", null);
        cw.visitField(Opcodes.ACC_STATIC, "n", "I", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run", "()I", null, null);
        mv.visitCode();
        for (int i = 0; i < increments; i++) {
            mv.visitFieldInsn(Opcodes.GETSTATIC, internalName, "n", "I");
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.IADD);
            mv.visitFieldInsn(Opcodes.PUTSTATIC, internalName, "n", "I");
        }
        mv.visitFieldInsn(Opcodes.GETSTATIC, internalName, "n", "I");
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
