-- Wireshark dissector for Wirekit's chat protocol (docs/chat-protocol.md): UTF-8 lines ending in \n (\r\n) or \0,
-- what clients send (text and /commands) and what the server sends (members' lines, -!- notices, ! errors).
-- Load: wireshark -X lua_script:tools/wireshark/wirekit_chat.lua, or copy into ~/.local/lib/wireshark/plugins.

local proto = Proto("wirekit_chat", "Wirekit chat")

local DEFAULT_PORT = 25001
-- The server reads up to --max-message (4096 by default) and drops longer lines; past this much without a
-- terminator the dissector stops waiting and shows the bytes as an unterminated line.
local MAX_LINE = 64 * 1024

local f = {
    line = ProtoField.string("wirekit_chat.line", "Line"),
    terminator = ProtoField.string("wirekit_chat.terminator", "Terminator"),
    from_server = ProtoField.bool("wirekit_chat.from_server", "From the server"),
    kind = ProtoField.string("wirekit_chat.kind", "Kind"),
    command = ProtoField.string("wirekit_chat.command", "Command"),
    argument = ProtoField.string("wirekit_chat.argument", "Argument"),
    sender = ProtoField.string("wirekit_chat.sender", "Member"),
    text = ProtoField.string("wirekit_chat.text", "Text"),
}
local fields = {}
for _, field in pairs(f) do fields[#fields + 1] = field end
proto.fields = fields

local unterminated = ProtoExpert.new("wirekit_chat.unterminated", "no \\n or \\0 within 64 KiB: longer than any message the server accepts",
    expert.group.MALFORMED, expert.severity.WARN)
proto.experts = { unterminated }

local tcp_stream = Field.new("tcp.stream")
-- The server's port per TCP stream, learnt when the heuristic matched (or the default port): lines look alike in
-- both directions ("<alice> hi" typed by a client is text), so the direction decides how a line reads.
local server_ports = {}

-- The server's lines, by their first characters (docs/chat-protocol.md, "Who said it"); first match wins.
local server_forms = {
    { "^%-!%- (.*)$", "notice" },
    { "^! error: (.*)$", "error" },
    { "^! warning: (.*)$", "warning" },
    { "^<([^>]+)> (.*)$", "message" },
    { "^%-> %*([^*]+)%* (.*)$", "private sent" },
    { "^%*([^* ]+)%* (.*)$", "private" },
    { "^%* (%S+) (.*)$", "action" },
}

local function describe_server_line(tree, text)
    for _, form in ipairs(server_forms) do
        local first, second = text:match(form[1])
        if first then
            tree:add(f.kind, form[2]):set_generated()
            if second then
                tree:add(f.sender, first):set_generated()
                tree:add(f.text, second):set_generated()
            else
                tree:add(f.text, first):set_generated()
            end
            return
        end
    end
    tree:add(f.kind, "other"):set_generated()
end

local function describe_client_line(tree, text)
    if text:sub(1, 2) == "//" then
        tree:add(f.kind, "text"):set_generated()
        tree:add(f.text, text:sub(2)):set_generated()
        return
    end
    local command, argument = text:match("^/(%S+)%s*(.*)$")
    if command then
        tree:add(f.kind, "command"):set_generated()
        tree:add(f.command, command):set_generated()
        if argument ~= "" then tree:add(f.argument, argument):set_generated() end
    else
        tree:add(f.kind, "text"):set_generated()
        tree:add(f.text, text):set_generated()
    end
end

-- Offset of the first \n or \0 at or after offset, or nil.
local function terminator_at(tvb, offset)
    local bytes = tvb:raw(offset)
    local position = bytes:find("[\0\n]")
    return position and offset + position - 1
end

local function from_server(pinfo)
    local port = server_ports[tcp_stream().value] or DEFAULT_PORT
    return pinfo.src_port == port
end

local function dissect_line(tvb, pinfo, tree, offset, stop, server)
    local ending = tvb(stop, 1):uint() == 0 and "\\0" or "\\n"
    local length = stop - offset
    if ending == "\\n" and length > 0 and tvb(stop - 1, 1):uint() == 13 then
        ending, length = "\\r\\n", length - 1
    end
    local text = length > 0 and tvb(offset, length):string(ENC_UTF_8) or ""
    local item = tree:add(proto, tvb(offset, stop - offset + 1), text)
    item:add(f.line, length > 0 and tvb(offset, length) or tvb(offset, 0), text)
    local crlf = ending == "\\r\\n" and 1 or 0
    item:add(f.terminator, tvb(stop - crlf, 1 + crlf), ending)
    item:add(f.from_server, server):set_generated()
    if server then describe_server_line(item, text) else describe_client_line(item, text) end
    return text
end

function proto.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "WIREKIT-CHAT"
    local server = from_server(pinfo)
    local offset, lines = 0, {}
    while offset < tvb:len() do
        local stop = terminator_at(tvb, offset)
        if not stop then
            if tvb:len() - offset <= MAX_LINE then
                pinfo.desegment_offset = offset
                pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
                break
            end
            tree:add(proto, tvb(offset)):add_proto_expert_info(unterminated)
            offset = tvb:len()
            break
        end
        lines[#lines + 1] = dissect_line(tvb, pinfo, tree, offset, stop, server)
        offset = stop + 1
    end
    if #lines > 0 then pinfo.cols.info = (server and "S: " or "C: ") .. table.concat(lines, " | ") end
    -- All of it is ours: dissected, or held for reassembly (0 would tell TCP to try other dissectors).
    return tvb:len()
end

-- Heuristic (ephemeral ports): a connection's greeting from the server, or a client joining with /nick.
local function heuristic(tvb, pinfo, tree)
    local start = tvb:raw(0, math.min(tvb:len(), 32))
    local server_side
    if start:find("^%-!%- welcome, you are ") or start:find("^%-!%- server full") then
        server_side = pinfo.src_port
    elseif start:find("^/nick [^%s\0]+[\r\n\0]") then
        server_side = pinfo.dst_port
    else
        return false
    end
    server_ports[tcp_stream().value] = server_side
    pinfo.conversation = proto
    proto.dissector(tvb, pinfo, tree)
    return true
end

DissectorTable.get("tcp.port"):add(DEFAULT_PORT, proto)
proto:register_heuristic("tcp", heuristic)
