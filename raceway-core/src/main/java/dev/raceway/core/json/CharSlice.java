package dev.raceway.core.json;

/** A reusable, mutable {@link CharSequence} over part of a char array: no copy, no allocation per use. */
final class CharSlice implements CharSequence {
    private char[] chars;
    private int offset;
    private int length;

    CharSlice of(char[] chars, int offset, int length) {
        this.chars = chars;
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
        return chars[offset + index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    @Override
    public String toString() {
        return new String(chars, offset, length);
    }
}
