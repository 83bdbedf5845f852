import Foundation

/// Recognises Go programs, whose clocks libfaketime cannot fake.
///
/// Go reads the time through the vDSO, not through libc, so `LD_PRELOAD=libfaketime` does
/// not reach it (measured here for etcd, with and without cgo). A Go ELF binary has a
/// `.go.buildinfo` section, a `.note.go.buildid` note or a `.gopclntab` section; when the
/// section headers are stripped, the build-info magic `\xff Go buildinf:` still gives it away.
public enum GoBinary {
    /// Section names only Go's toolchain emits.
    public static let goSectionNames: Set<String> = [".go.buildinfo", ".note.go.buildid", ".gopclntab"]

    /// Whether the file at `path` is a Go program (false when it cannot be read or is not ELF).
    public static func isGoProgram(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        if let names = sectionNames(handle), !names.isEmpty {
            return !names.isDisjoint(with: goSectionNames)
        }
        return containsBuildInfoMagic(handle)
    }

    /// The names of an ELF64 little-endian file's sections; nil when it is not one.
    static func sectionNames(_ handle: FileHandle) -> Set<String>? {
        guard let header = read(handle, at: 0, count: 64), header.count == 64,
            header[0] == 0x7F, header[1] == 0x45, header[2] == 0x4C, header[3] == 0x46,
            header[4] == 2, header[5] == 1
        else { return nil }
        let shoff = le(header, 0x28, 8)
        let shentsize = le(header, 0x3A, 2)
        let shnum = le(header, 0x3C, 2)
        let shstrndx = le(header, 0x3E, 2)
        guard shoff > 0, shentsize >= 64, shnum > 0, shnum < 4096, shstrndx < shnum else { return [] }
        guard let table = read(handle, at: shoff, count: Int(shentsize * shnum)),
            table.count == Int(shentsize * shnum)
        else { return nil }
        func entry(_ i: UInt64) -> (name: UInt64, offset: UInt64, size: UInt64) {
            let base = Int(i * shentsize)
            return (le(table, base, 4), le(table, base + 0x18, 8), le(table, base + 0x20, 8))
        }
        let strtab = entry(shstrndx)
        guard strtab.size < 1 << 20, let strings = read(handle, at: strtab.offset, count: Int(strtab.size)) else {
            return nil
        }
        var names = Set<String>()
        for i in 0..<shnum {
            let start = Int(entry(i).name)
            guard start < strings.count else { continue }
            let end = strings[start...].firstIndex(of: 0) ?? strings.count
            names.insert(String(decoding: strings[start..<end], as: UTF8.self))
        }
        return names
    }

    /// Whether the first 64 MiB of the file contain Go's build-info magic.
    static func containsBuildInfoMagic(_ handle: FileHandle) -> Bool {
        let needle: [UInt8] = [0xFF] + Array(" Go buildinf:".utf8)
        var offset: UInt64 = 0
        let chunk = 1 << 20
        while offset < 64 << 20 {
            guard let data = read(handle, at: offset, count: chunk + needle.count), !data.isEmpty else { return false }
            if search(needle, in: data) { return true }
            if data.count < chunk + needle.count { return false }
            offset += UInt64(chunk)
        }
        return false
    }

    private static func search(_ needle: [UInt8], in hay: [UInt8]) -> Bool {
        guard hay.count >= needle.count else { return false }
        var i = 0
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return true }
            i += 1
        }
        return false
    }

    private static func read(_ handle: FileHandle, at offset: UInt64, count: Int) -> [UInt8]? {
        do {
            try handle.seek(toOffset: offset)
            return try handle.read(upToCount: count).map { Array($0) } ?? []
        } catch {
            return nil
        }
    }

    private static func le(_ bytes: [UInt8], _ at: Int, _ width: Int) -> UInt64 {
        guard at + width <= bytes.count else { return 0 }
        var v: UInt64 = 0
        for i in (0..<width).reversed() { v = v << 8 | UInt64(bytes[at + i]) }
        return v
    }
}
