-- Wireshark dissector for Wirekit's file-transfer protocol (docs/file-protocol.md): the seed's classic
-- AppProtocol.h commands and the modern ones. Field names are the docs' names (nCode, szFileName, fileSize, ...),
-- under the struct that holds them where two structs share a name (get.offset, filereply.offset).
-- Load: wireshark -X lua_script:tools/wireshark/wirekit_file.lua, or copy into ~/.local/lib/wireshark/plugins.

local proto = Proto("wirekit_file", "Wirekit file transfer")

local HEADER = 8
-- The largest nSize any reader accepts (the client's list bound); beyond it the stream cannot be trusted.
local MAX_SIZE = 16 * 1024 * 1024
local DEFAULT_PORT = 25002

local codes = {
    [50] = "CMD_ERROR", [100] = "CMD_GET_LIST", [101] = "CMD_GET_FILE", [200] = "CMD_SND_FILELIST",
    [201] = "CMD_BEGIN_FILE", [110] = "CMD_AUTH", [111] = "CMD_LIST", [112] = "CMD_GET", [210] = "CMD_AUTH_OK",
    [211] = "CMD_FILELIST", [212] = "CMD_FILE",
}
local error_codes = {
    [1] = "UnknownCommand", [2] = "BadRequest", [3] = "NotFound", [4] = "Refused", [5] = "TooLarge",
    [6] = "Unauthorized", [7] = "ClassicDisabled", [8] = "IoError", [9] = "Busy",
}

local f = {
    nCode = ProtoField.int32("wirekit_file.nCode", "nCode (command)", base.DEC, codes),
    nSize = ProtoField.int32("wirekit_file.nSize", "nSize (payload bytes)", base.DEC),
    nErrorCode = ProtoField.int32("wirekit_file.errordata.nErrorCode", "nErrorCode", base.DEC, error_codes),
    szDesc = ProtoField.string("wirekit_file.errordata.szDesc", "szDesc"),
    getfile_nIndex = ProtoField.uint32("wirekit_file.getfile.nIndex", "nIndex", base.DEC),
    nCount = ProtoField.uint32("wirekit_file.send_filelist.nCount", "nCount", base.DEC),
    fileinfo = ProtoField.none("wirekit_file.fileinfo", "FILEINFO"),
    fileinfo_nIndex = ProtoField.uint32("wirekit_file.fileinfo.nIndex", "nIndex", base.DEC),
    szFileName = ProtoField.string("wirekit_file.fileinfo.szFileName", "szFileName"),
    dwFileSize = ProtoField.uint32("wirekit_file.fileinfo.dwFileSize", "dwFileSize", base.DEC),
    token = ProtoField.string("wirekit_file.auth.token", "token"),
    get_offset = ProtoField.uint64("wirekit_file.get.offset", "offset", base.DEC),
    get_length = ProtoField.uint64("wirekit_file.get.length", "length", base.DEC),
    get_nameLength = ProtoField.uint16("wirekit_file.get.nameLength", "nameLength", base.DEC),
    get_name = ProtoField.string("wirekit_file.get.name", "name"),
    fileSize = ProtoField.uint64("wirekit_file.filereply.fileSize", "fileSize", base.DEC),
    reply_mtime = ProtoField.int64("wirekit_file.filereply.mtime", "mtime (Unix ms)", base.DEC),
    reply_hash = ProtoField.bytes("wirekit_file.filereply.hash", "hash (XXH128)"),
    reply_offset = ProtoField.uint64("wirekit_file.filereply.offset", "offset", base.DEC),
    reply_length = ProtoField.uint64("wirekit_file.filereply.length", "length", base.DEC),
    count = ProtoField.uint32("wirekit_file.filelist.count", "count", base.DEC),
    entry = ProtoField.none("wirekit_file.entry", "ENTRY"),
    entry_size = ProtoField.uint64("wirekit_file.entry.size", "size", base.DEC),
    entry_mtime = ProtoField.int64("wirekit_file.entry.mtime", "mtime (Unix ms)", base.DEC),
    entry_hash = ProtoField.bytes("wirekit_file.entry.hash", "hash (XXH128)"),
    entry_nameLength = ProtoField.uint16("wirekit_file.entry.nameLength", "nameLength", base.DEC),
    entry_name = ProtoField.string("wirekit_file.entry.name", "name"),
    data = ProtoField.bytes("wirekit_file.data", "File data"),
}
local fields = {}
for _, field in pairs(f) do fields[#fields + 1] = field end
proto.fields = fields

local bad_size = ProtoExpert.new("wirekit_file.bad_size", "nSize negative or beyond 16 MiB: the rest of this stream is not framed",
    expert.group.MALFORMED, expert.severity.ERROR)
local short_payload = ProtoExpert.new("wirekit_file.short_payload", "payload shorter than its struct",
    expert.group.MALFORMED, expert.severity.WARN)
proto.experts = { bad_size, short_payload }

-- A NUL-padded char[n]: the text up to the first NUL, shown over the whole array.
local function add_cstring(tree, field, range)
    return tree:add(field, range, range:stringz(ENC_UTF_8))
end

local function hex(range)
    return tostring(range:bytes()):lower()
end

local function add_fileinfo(tree, range)
    local item = tree:add(f.fileinfo, range)
    item:add_le(f.fileinfo_nIndex, range(0, 4))
    add_cstring(item, f.szFileName, range(4, 256))
    item:add_le(f.dwFileSize, range(260, 4))
    item:append_text(string.format(": %s (%d bytes)", range(4, 256):stringz(ENC_UTF_8), range(260, 4):le_uint()))
    return range(4, 256):stringz(ENC_UTF_8)
end

local function add_entry(tree, range, offset)
    local name_length = range(offset + 32, 2):le_uint()
    local item = tree:add(f.entry, range(offset, 34 + name_length))
    item:add_le(f.entry_size, range(offset, 8))
    item:add_le(f.entry_mtime, range(offset + 8, 8))
    item:add(f.entry_hash, range(offset + 16, 16))
    item:add_le(f.entry_nameLength, range(offset + 32, 2))
    item:add(f.entry_name, range(offset + 34, name_length), range(offset + 34, name_length):string(ENC_UTF_8))
    item:append_text(": " .. range(offset + 34, name_length):string(ENC_UTF_8))
    return offset + 34 + name_length
end

-- Each returns the Info text for its payload; the payload range is exactly nSize bytes (may be absent when 0).
local payloads = {
    [50] = function(tree, p)
        tree:add_le(f.nErrorCode, p(0, 4))
        add_cstring(tree, f.szDesc, p(4, 256))
        return string.format("%s: %s", error_codes[p(0, 4):le_int()] or p(0, 4):le_int(), p(4, 256):stringz(ENC_UTF_8))
    end,
    [101] = function(tree, p)
        tree:add_le(f.getfile_nIndex, p(0, 4))
        return "nIndex=" .. p(0, 4):le_uint()
    end,
    [200] = function(tree, p)
        tree:add_le(f.nCount, p(0, 4))
        local count = p(0, 4):le_uint()
        for i = 0, count - 1 do
            if 4 + (i + 1) * 264 > p:len() then break end
            add_fileinfo(tree, p(4 + i * 264, 264))
        end
        return "nCount=" .. count
    end,
    [201] = function(tree, p)
        return string.format("%s (%d bytes)", add_fileinfo(tree, p(0, 264)), p(260, 4):le_uint())
    end,
    [110] = function(tree, p)
        tree:add(f.token, p, p:string(ENC_UTF_8))
        return string.format("(%d-byte token)", p:len())
    end,
    [112] = function(tree, p)
        local name_length = p(16, 2):le_uint()
        tree:add_le(f.get_offset, p(0, 8))
        tree:add_le(f.get_length, p(8, 8))
        tree:add_le(f.get_nameLength, p(16, 2))
        if 18 + name_length > p:len() then
            tree:add_proto_expert_info(short_payload)
            return "(nameLength beyond nSize)"
        end
        local name = p(18, name_length):string(ENC_UTF_8)
        tree:add(f.get_name, p(18, name_length), name)
        local length = p(8, 8):le_uint64()
        local wanted = length == UInt64.max() and "to the end" or tostring(length)
        return string.format("%s offset=%s length=%s", name, tostring(p(0, 8):le_uint64()), wanted)
    end,
    [211] = function(tree, p)
        tree:add_le(f.count, p(0, 4))
        local offset = 4
        for _ = 1, p(0, 4):le_uint() do
            if offset + 34 > p:len() or offset + 34 + p(offset + 32, 2):le_uint() > p:len() then break end
            offset = add_entry(tree, p, offset)
        end
        return "count=" .. p(0, 4):le_uint()
    end,
    [212] = function(tree, p)
        tree:add_le(f.fileSize, p(0, 8))
        tree:add_le(f.reply_mtime, p(8, 8))
        tree:add(f.reply_hash, p(16, 16))
        tree:add_le(f.reply_offset, p(32, 8))
        tree:add_le(f.reply_length, p(40, 8))
        return string.format("fileSize=%s hash=%s offset=%s length=%s", tostring(p(0, 8):le_uint64()), hex(p(16, 16)),
            tostring(p(32, 8):le_uint64()), tostring(p(40, 8):le_uint64()))
    end,
}
-- The fixed-size structs: a shorter payload is malformed (the server answers BadRequest) and is shown as bytes.
local struct_size = { [50] = 260, [101] = 4, [200] = 4, [201] = 264, [112] = 18, [211] = 4, [212] = 48 }

-- Raw bytes that follow the struct: only CMD_BEGIN_FILE and CMD_FILE carry them, counted outside nSize.
local function data_length(tvb, offset, code, size)
    if code == 201 and size >= 264 then return tvb(offset + HEADER + 260, 4):le_uint() end
    if code == 212 and size >= 48 then return tvb(offset + HEADER + 40, 8):le_uint64():tonumber() end
    return 0
end

-- One frame (header, payload, file data) starting at offset; returns its length, or nil and the bytes missing.
local function frame_length(tvb, offset)
    local available = tvb:len() - offset
    -- Until the whole length is known, ask for the next segment (as tcp_dissect_pdus does), not for a guess.
    if available < HEADER then return nil, DESEGMENT_ONE_MORE_SEGMENT end
    local code, size = tvb(offset, 4):le_int(), tvb(offset + 4, 4):le_int()
    if size < 0 or size > MAX_SIZE then return -1 end
    if available < HEADER + size then
        return nil, (code == 201 or code == 212) and DESEGMENT_ONE_MORE_SEGMENT or HEADER + size - available
    end
    local total = HEADER + size + data_length(tvb, offset, code, size)
    if available < total then return nil, total - available end
    return total
end

local function dissect_frame(tvb, tree, offset, length)
    local code, size = tvb(offset, 4):le_int(), tvb(offset + 4, 4):le_int()
    local name = codes[code] or ("unknown code " .. code)
    local item = tree:add(proto, tvb(offset, length), name)
    item:add_le(f.nCode, tvb(offset, 4))
    item:add_le(f.nSize, tvb(offset + 4, 4))
    local info = name
    if size > 0 then
        local payload = tvb(offset + HEADER, size)
        local parse = payloads[code]
        if parse and size >= (struct_size[code] or 1) then
            info = name .. " " .. parse(item, payload)
        elseif parse then
            item:add_proto_expert_info(short_payload)
        end
    end
    local data = length - HEADER - size
    if data > 0 then
        item:add(f.data, tvb(offset + HEADER + size, data)):append_text(string.format(" (%d bytes)", data))
    end
    return info
end

function proto.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "WIREKIT-FILE"
    local offset, infos = 0, {}
    while offset < tvb:len() do
        local length, missing = frame_length(tvb, offset)
        if length == nil then
            pinfo.desegment_offset = offset
            pinfo.desegment_len = missing
            break
        end
        if length < 0 then
            tree:add(proto, tvb(offset)):add_proto_expert_info(bad_size)
            infos[#infos + 1] = "nSize out of bounds"
            offset = tvb:len()
            break
        end
        infos[#infos + 1] = dissect_frame(tvb, tree, offset, length)
        offset = offset + length
    end
    if #infos > 0 then pinfo.cols.info = table.concat(infos, "; ") end
    -- All of it is ours: dissected, or held for reassembly (0 would tell TCP to try other dissectors).
    return tvb:len()
end

-- Heuristic (ephemeral ports, as in the tests): a payload starting with a known code and an nSize that code can
-- have. Once matched, the whole conversation is ours.
local plausible = {
    [100] = function(s) return s == 0 end, [111] = function(s) return s == 0 end,
    [101] = function(s) return s == 4 end, [112] = function(s) return s >= 19 and s <= 18 + 1024 end,
    [110] = function(s) return s >= 1 and s <= 1024 end, [50] = function(s) return s == 260 end,
    [200] = function(s) return s >= 4 and (s - 4) % 264 == 0 end, [201] = function(s) return s == 264 end,
    [210] = function(s) return s == 0 end, [211] = function(s) return s >= 4 and s <= MAX_SIZE end,
    [212] = function(s) return s == 48 end,
}

-- A header cut short by the segment (a client writing it in pieces): the bytes so far must spell a known code
-- (all codes are below 256, so bytes 1..3 are zero). Two bytes at least: one byte ('d', 'p') is a keystroke.
local function plausible_prefix(tvb)
    local length = tvb:len()
    if length < 2 or not plausible[tvb(0, 1):uint()] then return false end
    for i = 1, math.min(length, 4) - 1 do
        if tvb(i, 1):uint() ~= 0 then return false end
    end
    return true
end

local function heuristic(tvb, pinfo, tree)
    if tvb:len() < HEADER then
        if not plausible_prefix(tvb) then return false end
    else
        local check = plausible[tvb(0, 4):le_int()]
        if not check or not check(tvb(4, 4):le_int()) then return false end
    end
    pinfo.conversation = proto
    proto.dissector(tvb, pinfo, tree)
    return true
end

DissectorTable.get("tcp.port"):add(DEFAULT_PORT, proto)
proto:register_heuristic("tcp", heuristic)
