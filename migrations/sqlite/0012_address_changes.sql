-- Adding an address: the address waits in its ValidateEmail link (login_tokens, kind
-- 'validate_email', requester = the person adding it) and becomes a row of email_addresses
-- only when the link is followed, so an unconfirmed address never keeps its owner from
-- registering it. The account page lists a person's links still waiting, by requester; and a
-- profile's deletion (a merged placeholder) finds its tokens by the same index.
CREATE INDEX login_tokens_requester ON login_tokens (requester_id, kind);
