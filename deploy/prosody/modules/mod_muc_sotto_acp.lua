-- SPDX-License-Identifier: GPL-3.0-or-later
-- mod_muc_sotto_acp: a room option "no private processing" for Prosody's MUC
-- (0.12), for rooms whose participants do not want AI help run on their chat.
--
-- The room's owner sets it in the room configuration form (XEP-0045 10.2);
-- every client reads it in the room's disco#info, in the muc#roominfo form
-- (XEP-0045 6.4, XEP-0128), as the boolean field
--     urn:sotto:acp:0#no-private-processing
-- Sotto clients refuse to summarize a room that sets it (plugin/core policy.h,
-- kRoomNoProcessingField) and tell the user why. It is a request to
-- well-behaved clients, like the per-message <no-private-processing/> marker:
-- it cannot stop a participant from copying the messages elsewhere.
--
-- Load it on the MUC component (docs/ADMIN.md "Rooms"):
--     Component "rooms.example.org" "muc"
--         modules_enabled = { "muc_mam"; "muc_sotto_acp" }
-- Prosody finds it through plugin_paths (the folder of this file).
-- It uses Prosody's documented MUC events: muc-config-form,
-- muc-config-submitted/<var>, muc-disco#info.

local field = "urn:sotto:acp:0#no-private-processing";

local function get(room)
	return room._data.sotto_no_private_processing == true;
end

local function set(room, value)
	value = value == true;
	if get(room) == value then return false; end
	room._data.sotto_no_private_processing = value or nil;
	return true;
end

-- The owner's configuration form, in its "Other options" section (Prosody
-- orders the sections by priority: 70 is "Other options").
module:hook("muc-config-form", function(event)
	table.insert(event.form, {
		name = field;
		type = "boolean";
		label = "No private processing (AI summaries) of this room";
		desc = "Ask participants' clients not to send this room's messages to private processing";
		value = get(event.room);
	});
end, 70 - 1);

module:hook("muc-config-submitted/" .. field, function(event)
	-- A value that is not a boolean (Prosody's form reader leaves it nil)
	-- changes nothing: a bad form never turns the option off.
	if type(event.value) ~= "boolean" then return; end
	if set(event.room, event.value) then
		-- 104: the room's configuration changed (XEP-0045 10.2.1).
		event.status_codes["104"] = true;
	end
end);

module:hook("muc-disco#info", function(event)
	table.insert(event.form, { name = field; type = "boolean"; label = "No private processing" });
	event.formdata[field] = get(event.room);
end);
