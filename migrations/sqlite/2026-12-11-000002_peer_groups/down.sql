DROP TABLE peer_group_sessions;
DROP TABLE peer_group_members;
DROP TABLE peer_groups;
