extension JSONWriter {
    /// Writes `"name": {…}`, the body writing the object's fields.
    public mutating func object(_ name: StaticString, _ body: (inout JSONWriter) -> Void) {
        key(name)
        beginObject()
        body(&self)
        endObject()
    }

    /// The same with a key given at run time.
    public mutating func object(_ name: String, _ body: (inout JSONWriter) -> Void) {
        key(name)
        beginObject()
        body(&self)
        endObject()
    }

    /// Writes `"name": [{…}, …]`, one object per element, the body writing its fields.
    public mutating func objects<S: Sequence>(
        _ name: StaticString, _ elements: S, _ body: (inout JSONWriter, S.Element) -> Void
    ) {
        key(name)
        objectArray(elements, body)
    }

    /// The same with a key given at run time.
    public mutating func objects<S: Sequence>(
        _ name: String, _ elements: S, _ body: (inout JSONWriter, S.Element) -> Void
    ) {
        key(name)
        objectArray(elements, body)
    }

    /// Writes `[{…}, …]` as a value, one object per element, the body writing its fields.
    public mutating func objectArray<S: Sequence>(_ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        array(elements) { w, element in
            w.beginObject()
            body(&w, element)
            w.endObject()
        }
    }

    /// Writes `[…]` as a value, the body writing one value per element.
    public mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        beginArray()
        for element in elements { body(&self, element) }
        endArray()
    }
}
