package dev.raceway.core.json;

/**
 * A reusable, mutable {@link CharSequence} over ASCII bytes of an array (each byte one character): no copy, no
 * allocation per use. The byte-level counterpart of {@link CharSlice}.
 */
final class ByteSlice implements CharSequence {
    private byte[] bytes;
    private int offset;
    private int length;

    ByteSlice of(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (bytes[offset + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    @Override
    public String toString() {
        return new String(bytes, offset, length, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
