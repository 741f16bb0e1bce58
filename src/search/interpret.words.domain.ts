// Words that name a kind of person in the search box, English and German (with plural and gendered forms);
// the labels of the kinds in both message catalogues are among them.
export const KIND_WORDS: Record<'volunteer' | 'freelancer', string[]> = {
  volunteer: ['volunteer', 'volunteers', 'ehrenamtlich', 'ehrenamtliche', 'ehrenamtlicher', 'ehrenamtlichen', 'ehrenamt'],
  freelancer: ['freelancer', 'freelancers', 'freelance', 'freiberuflich', 'freiberufliche', 'freiberuflicher', 'freiberufler', 'freiberuflerin',
    'freiberuflerinnen'],
};
