CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`operator_id` text,
	`action` text NOT NULL,
	`target` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_events_at` ON `audit_events` (`at`);--> statement-breakpoint
CREATE TABLE `operator_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`ip_hash` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `operator_sessions_user` ON `operator_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `operator_setup_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`operator_id` text,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`operator_id`) REFERENCES `operators`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`created_at` integer NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_email_unique` ON `operators` (`email`);--> statement-breakpoint
CREATE TABLE `stat_campaign_unsubscribe` (
	`campaign` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`last_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stat_suppression_daily` (
	`day` integer NOT NULL,
	`reason` text NOT NULL,
	`added` integer NOT NULL,
	`removed` integer NOT NULL,
	PRIMARY KEY(`day`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `stat_suppression_reason` (
	`reason` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stat_topic_status` (
	`topic_id` text NOT NULL,
	`status` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`topic_id`, `status`)
);
--> statement-breakpoint
CREATE TABLE `stat_unsubscribe_daily` (
	`day` integer NOT NULL,
	`topic` text NOT NULL,
	`source` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `topic`, `source`)
);
--> statement-breakpoint
CREATE TABLE `suppression_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`operator_id` text,
	`file_name` text NOT NULL,
	`status` text NOT NULL,
	`bytes_total` integer NOT NULL,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`rows` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`existing` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`errors` text DEFAULT '[]' NOT NULL,
	`message` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
-- Dashboard counters (src/db/schema/console-stats.ts), kept by triggers so that every write
-- path (API, pages, CLI, imports) counts in the same transaction as its change.
-- Insert-if-missing then UPDATE, with no conflict clause (a trigger's OR IGNORE would be
-- overridden by the policy of the statement that fired it, e.g. the stores' INSERT OR REPLACE
-- and upserts), and not an upsert: an upsert in a trigger made every insert into
-- the big tables slower as they grew (measured: 5,000 suppressions took 4.6 s on an empty list,
-- 13.8 s after 15,000), the same statement-journal cost the suppression store avoids.
CREATE TRIGGER `stat_subscriptions_insert` AFTER INSERT ON `subscriptions`
BEGIN
  INSERT INTO `stat_topic_status` (`topic_id`, `status`, `count`) SELECT new.`topic_id`, new.`status`, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_topic_status` WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`);
  UPDATE `stat_topic_status` SET `count` = `count` + 1 WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_subscriptions_update` AFTER UPDATE OF `status`, `topic_id` ON `subscriptions`
WHEN old.`status` IS NOT new.`status` OR old.`topic_id` IS NOT new.`topic_id`
BEGIN
  UPDATE `stat_topic_status` SET `count` = `count` - 1 WHERE `topic_id` = old.`topic_id` AND `status` = old.`status`;
  INSERT INTO `stat_topic_status` (`topic_id`, `status`, `count`) SELECT new.`topic_id`, new.`status`, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_topic_status` WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`);
  UPDATE `stat_topic_status` SET `count` = `count` + 1 WHERE `topic_id` = new.`topic_id` AND `status` = new.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_subscriptions_delete` AFTER DELETE ON `subscriptions`
BEGIN
  UPDATE `stat_topic_status` SET `count` = `count` - 1 WHERE `topic_id` = old.`topic_id` AND `status` = old.`status`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_suppressions_insert` AFTER INSERT ON `suppressions`
BEGIN
  INSERT INTO `stat_suppression_reason` (`reason`, `count`) SELECT new.`reason`, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_suppression_reason` WHERE `reason` = new.`reason`);
  UPDATE `stat_suppression_reason` SET `count` = `count` + 1 WHERE `reason` = new.`reason`;
  INSERT INTO `stat_suppression_daily` (`day`, `reason`, `added`, `removed`) SELECT new.`created_at` / 86400000, new.`reason`, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_suppression_daily` WHERE `day` = new.`created_at` / 86400000 AND `reason` = new.`reason`);
  UPDATE `stat_suppression_daily` SET `added` = `added` + 1 WHERE `day` = new.`created_at` / 86400000 AND `reason` = new.`reason`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_suppressions_update` AFTER UPDATE OF `reason` ON `suppressions`
WHEN old.`reason` IS NOT new.`reason`
BEGIN
  UPDATE `stat_suppression_reason` SET `count` = `count` - 1 WHERE `reason` = old.`reason`;
  INSERT INTO `stat_suppression_reason` (`reason`, `count`) SELECT new.`reason`, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_suppression_reason` WHERE `reason` = new.`reason`);
  UPDATE `stat_suppression_reason` SET `count` = `count` + 1 WHERE `reason` = new.`reason`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_suppressions_delete` AFTER DELETE ON `suppressions`
BEGIN
  UPDATE `stat_suppression_reason` SET `count` = `count` - 1 WHERE `reason` = old.`reason`;
END;
--> statement-breakpoint
-- A removal is dated by its change-log row (the suppression row itself is gone by then).
CREATE TRIGGER `stat_suppression_removed` AFTER INSERT ON `suppression_changes`
WHEN new.`deleted` = 1
BEGIN
  INSERT INTO `stat_suppression_daily` (`day`, `reason`, `added`, `removed`) SELECT new.`changed_at` / 86400000, new.`reason`, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_suppression_daily` WHERE `day` = new.`changed_at` / 86400000 AND `reason` = new.`reason`);
  UPDATE `stat_suppression_daily` SET `removed` = `removed` + 1 WHERE `day` = new.`changed_at` / 86400000 AND `reason` = new.`reason`;
END;
--> statement-breakpoint
CREATE TRIGGER `stat_ledger_unsubscribe` AFTER INSERT ON `consent_events`
WHEN new.`action` = 'unsubscribe'
BEGIN
  INSERT INTO `stat_unsubscribe_daily` (`day`, `topic`, `source`, `count`) SELECT new.`at` / 86400000, coalesce(new.`topic`, '*'), new.`source`, 0 WHERE NOT EXISTS (SELECT 1 FROM `stat_unsubscribe_daily` WHERE `day` = new.`at` / 86400000 AND `topic` = coalesce(new.`topic`, '*') AND `source` = new.`source`);
  UPDATE `stat_unsubscribe_daily` SET `count` = `count` + 1 WHERE `day` = new.`at` / 86400000 AND `topic` = coalesce(new.`topic`, '*') AND `source` = new.`source`;
  INSERT INTO `stat_campaign_unsubscribe` (`campaign`, `count`, `last_at`) SELECT new.`campaign`, 0, new.`at`
    WHERE new.`campaign` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `stat_campaign_unsubscribe` WHERE `campaign` = new.`campaign`);
  UPDATE `stat_campaign_unsubscribe` SET `count` = `count` + 1, `last_at` = max(`last_at`, new.`at`) WHERE `campaign` = new.`campaign`;
END;
--> statement-breakpoint
-- Back-fill the counters from the rows already there (one scan, at migration time only).
INSERT INTO `stat_topic_status` (`topic_id`, `status`, `count`) SELECT `topic_id`, `status`, count(*) FROM `subscriptions` GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `stat_suppression_reason` (`reason`, `count`) SELECT `reason`, count(*) FROM `suppressions` GROUP BY 1;
--> statement-breakpoint
INSERT INTO `stat_suppression_daily` (`day`, `reason`, `added`, `removed`)
  SELECT `day`, `reason`, sum(`added`), sum(`removed`) FROM (
    SELECT `created_at` / 86400000 AS `day`, `reason`, 1 AS `added`, 0 AS `removed` FROM `suppressions`
    UNION ALL
    SELECT `changed_at` / 86400000, `reason`, 0, 1 FROM `suppression_changes` WHERE `deleted` = 1
  ) WHERE true GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `stat_unsubscribe_daily` (`day`, `topic`, `source`, `count`)
  SELECT `at` / 86400000, coalesce(`topic`, '*'), `source`, count(*) FROM `consent_events` WHERE `action` = 'unsubscribe' GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `stat_campaign_unsubscribe` (`campaign`, `count`, `last_at`)
  SELECT `campaign`, count(*), max(`at`) FROM `consent_events` WHERE `action` = 'unsubscribe' AND `campaign` IS NOT NULL GROUP BY 1;
