// "Please check your details": a manager picks people (a search result or a selection from the stale-record
// review), sees the mail and who is left out, sends; the campaign page follows the answers.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { authorize } from '../users/auth.service.js';
import { found, parseId } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { bodyOf } from '../http/forms.js';
import { parsePeopleFilters } from '../search/search.domain.js';
import { findAllPeopleIds } from '../search/search.queries.js';
import { composeMail } from '../mail/compose.domain.js';
import { CAMPAIGN_CONSENT_PURPOSES, parseIds, selectRecipients } from './campaigns.domain.js';
import {
  campaignFigures, campaignRecipients, findCampaign, listCampaigns, loadCandidates, pauseCampaignByHand, resumeCampaign, startCampaign,
} from './campaigns.queries.js';

/** A search's query string as the record parsePeopleFilters reads (repeated keys become lists). */
function queryRecord(qs: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(qs)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function campaignsRoutes({ db, config }: { db: Knex; config: Config }) {
  const r = Router();
  const manage = authorize('privacy.manage');

  /** The chosen people: a search (its query string; do-not-contact people included, to be counted) or ids. */
  const chosenIds = async (source: string, query: string, ids: unknown): Promise<number[]> => {
    if (source === 'search') {
      const filters = { ...parsePeopleFilters(queryRecord(query)), includeDnc: true };
      return findAllPeopleIds(db, filters);
    }
    return parseIds(ids);
  };

  const preview = async (req: Request, res: import('express').Response, source: string, query: string, ids: number[]) => {
    const selection = selectRecipients(await loadCandidates(db, ids));
    const sample = selection.recipients[0];
    const mail = composeMail('confirm', req.locale, {
      name: sample ? `${sample.first_name} ${sample.last_name}`.trim() : req.t('campaigns.sampleName'),
      url: `${config.publicUrl}/me/…`, until: new Date(Date.now() + config.meLinkDays * 86_400_000).toISOString(),
      footerVars: { stop: `${config.publicUrl}/me/…/stop` },
    });
    res.render('campaigns/new', {
      title: req.t('campaigns.newTitle'), source, query, ids: source === 'ids' ? ids : [], chosen: ids.length, selection, mail,
      purposes: CAMPAIGN_CONSENT_PURPOSES,
    });
  };

  r.get('/campaigns', manage, async (req, res) => {
    res.render('campaigns/list', { title: req.t('campaigns.title'), campaigns: await listCampaigns(db) });
  });

  r.get('/campaigns/new', manage, async (req, res) => {
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    await preview(req, res, 'search', query, await chosenIds('search', query, undefined));
  });

  r.post('/campaigns/new', manage, async (req, res) => {
    const ids = parseIds(bodyOf(req).ids);
    await preview(req, res, 'ids', '', ids);
  });

  r.post('/campaigns', manage, async (req, res) => {
    const body = bodyOf(req);
    const source = body.source === 'search' ? 'search' : 'ids';
    const ids = await chosenIds(source, String(body.query ?? ''), body.ids);
    const people = await loadCandidates(db, ids);
    if (!selectRecipients(people).recipients.length) {
      flash(req, 'error', 'campaigns.nobody');
      return res.redirect('/campaigns');
    }
    const { id } = await startCampaign(db, { userId: req.user!.id, people });
    (req.app.locals.kickMail as (() => void) | undefined)?.();
    flash(req, 'success', 'campaigns.started');
    res.redirect(`/campaigns/${id}`);
  });

  r.get('/campaigns/:id', manage, async (req, res) => {
    const campaign = found(await findCampaign(db, parseId(req.params.id)));
    const figures = await campaignFigures(db, campaign.id);
    res.render('campaigns/show', {
      title: req.t('campaigns.showTitle', { id: campaign.id }), campaign, figures, recipients: await campaignRecipients(db, campaign.id),
      finished: campaign.status === 'sending' && figures.queued === 0,
    });
  });

  r.post('/campaigns/:id/resume', manage, async (req, res) => {
    const id = parseId(req.params.id);
    if (await resumeCampaign(db, id)) {
      (req.app.locals.kickMail as (() => void) | undefined)?.();
      flash(req, 'success', 'campaigns.resumed');
    }
    res.redirect(`/campaigns/${id}`);
  });

  r.post('/campaigns/:id/pause', manage, async (req, res) => {
    const id = parseId(req.params.id);
    if (await pauseCampaignByHand(db, id)) flash(req, 'success', 'campaigns.paused');
    res.redirect(`/campaigns/${id}`);
  });

  return r;
}
