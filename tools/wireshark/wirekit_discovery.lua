-- Wireshark dissector for Wirekit's discovery announcements (docs/discovery.md): one UDP datagram holding one
-- flat JSON object tagged {"wirekit":"announce/1", ...}, broadcast to port 25099 every 3 s.
-- Load: wireshark -X lua_script:tools/wireshark/wirekit_discovery.lua, or copy into ~/.local/lib/wireshark/plugins.

local proto = Proto("wirekit_discovery", "Wirekit discovery announcement")

local DEFAULT_PORT = 25099
local MAX_DATAGRAM = 512
local TAG = "announce/1"

local f = {
    wirekit = ProtoField.string("wirekit_discovery.wirekit", "wirekit (tag)"),
    service = ProtoField.string("wirekit_discovery.service", "service"),
    version = ProtoField.string("wirekit_discovery.version", "version"),
    port = ProtoField.uint16("wirekit_discovery.port", "port", base.DEC),
    name = ProtoField.string("wirekit_discovery.name", "name"),
    other = ProtoField.string("wirekit_discovery.other", "Unknown field (ignored by listeners)"),
}
local fields = {}
for _, field in pairs(f) do fields[#fields + 1] = field end
proto.fields = fields

local oversized = ProtoExpert.new("wirekit_discovery.oversized", "larger than 512 bytes: listeners drop it",
    expert.group.PROTOCOL, expert.severity.WARN)
local not_ours = ProtoExpert.new("wirekit_discovery.not_announce", "not a flat JSON object tagged announce/1: listeners drop it",
    expert.group.MALFORMED, expert.severity.WARN)
proto.experts = { oversized, not_ours }

local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local floor = math.floor

local function utf8_char(code)
    if code < 0x80 then return string.char(code) end
    if code < 0x800 then return string.char(0xC0 + floor(code / 64), 0x80 + code % 64) end
    if code < 0x10000 then return string.char(0xE0 + floor(code / 4096), 0x80 + floor(code / 64) % 64, 0x80 + code % 64) end
    return string.char(0xF0 + floor(code / 262144), 0x80 + floor(code / 4096) % 64, 0x80 + floor(code / 64) % 64, 0x80 + code % 64)
end

-- A JSON string starting at the quote at position i: its decoded text and the position after it, or nil.
local function read_string(text, i)
    local out, j = {}, i + 1
    while j <= #text do
        local c = text:sub(j, j)
        if c == '"' then return table.concat(out), j + 1 end
        if c == "\\" then
            local e = text:sub(j + 1, j + 1)
            if e == "u" then
                local code = tonumber(text:sub(j + 2, j + 5), 16)
                if not code then return nil end
                j = j + 6
                -- A surrogate pair (System.Text.Json escapes characters outside the BMP this way).
                local low = code >= 0xD800 and code < 0xDC00 and text:sub(j, j + 1) == "\\u" and tonumber(text:sub(j + 2, j + 5), 16)
                if low then
                    code, j = 0x10000 + (code - 0xD800) * 1024 + (low - 0xDC00), j + 6
                end
                out[#out + 1] = utf8_char(code)
            elseif escapes[e] then
                out[#out + 1], j = escapes[e], j + 2
            else
                return nil
            end
        else
            out[#out + 1], j = c, j + 1
        end
    end
    return nil
end

-- The members of a flat object ({"key": string, number, true, false or null, ...}) in order, each {key, value, start, stop}; nil
-- for anything else (nested values are not part of announce/1).
local function read_object(text)
    local i = text:find("%S")
    if not i or text:sub(i, i) ~= "{" then return nil end
    local members = {}
    i = text:find("%S", i + 1)
    if i and text:sub(i, i) == "}" then return members end
    while i do
        if text:sub(i, i) ~= '"' then return nil end
        local key, after = read_string(text, i)
        if not key then return nil end
        local colon = text:find("%S", after)
        if not colon or text:sub(colon, colon) ~= ":" then return nil end
        local start = text:find("%S", colon + 1)
        if not start then return nil end
        local value, stop
        if text:sub(start, start) == '"' then
            value, stop = read_string(text, start)
            if not value then return nil end
        else
            local literal = text:match("^%-?%d+%.?%d*[eE]?[-+]?%d*", start) or text:match("^true", start)
                or text:match("^false", start) or text:match("^null", start)
            if not literal then return nil end
            value, stop = tonumber(literal) or literal, start + #literal
        end
        members[#members + 1] = { key = key, value = value, start = start, stop = stop }
        local next = text:find("%S", stop)
        if not next then return nil end
        local c = text:sub(next, next)
        if c == "}" then return members end
        if c ~= "," then return nil end
        i = text:find("%S", next + 1)
    end
    return nil
end

local function is_announcement(members)
    if not members then return false end
    for _, member in ipairs(members) do
        if member.key == "wirekit" then return member.value == TAG end
    end
    return false
end

function proto.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "WIREKIT-DISCOVERY"
    local text = tvb:raw()
    local item = tree:add(proto, tvb())
    if tvb:len() > MAX_DATAGRAM then item:add_proto_expert_info(oversized) end
    local members = read_object(text)
    if not is_announcement(members) then
        item:add_proto_expert_info(not_ours)
        pinfo.cols.info = "not an announcement"
        return tvb:len()
    end
    local shown = {}
    for _, member in ipairs(members) do
        local range = tvb(member.start - 1, member.stop - member.start)
        local field = f[member.key] or f.other
        if field == f.other then
            item:add(field, range, member.key .. "=" .. tostring(member.value))
        else
            item:add(field, range, member.value)
            shown[member.key] = tostring(member.value)
        end
    end
    local summary = string.format("%s %s on port %s, %s", shown.service or "?", shown.version or "?", shown.port or "?", shown.name or "?")
    item:append_text(": " .. summary)
    pinfo.cols.info = "announce/1 " .. summary
    return tvb:len()
end

-- Heuristic (a listener or announcer on another port, as in the tests): a JSON object tagged announce/1.
local function heuristic(tvb, pinfo, tree)
    if tvb:len() < 2 or tvb:len() > 4 * MAX_DATAGRAM or tvb(0, 1):string() ~= "{" then return false end
    if not is_announcement(read_object(tvb:raw())) then return false end
    proto.dissector(tvb, pinfo, tree)
    return true
end

DissectorTable.get("udp.port"):add(DEFAULT_PORT, proto)
proto:register_heuristic("udp", heuristic)
