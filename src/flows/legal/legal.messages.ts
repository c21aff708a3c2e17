import { defineMessages } from '../../web/i18n/define.ts';

export const legalMessages = defineMessages(
  {
    'legal.notes.title': 'Note legali',
    'legal.notes.body': 'I contenuti di questo sito sono pubblicati dall’amministrazione titolare del servizio {administration}. Testi e dati possono essere riutilizzati citando la fonte, salvo dove indicato diversamente. I marchi e i loghi restano dei rispettivi titolari.',
    'legal.privacy.title': 'Privacy',
    'legal.privacy.body': 'Titolare del trattamento è {administration}. Trattiamo il codice fiscale, i recapiti e i documenti che ci invii solo per darti accesso ai servizi e per assisterti nel recupero delle credenziali (art. 6, par. 1, lett. e del Regolamento UE 2016/679). I documenti delle richieste di assistenza sono cancellati quando la richiesta è chiusa. Puoi esercitare i tuoi diritti scrivendo all’assistenza.',
    'legal.accessibility.title': 'Dichiarazione di accessibilità',
    'legal.accessibility.body': '{administration} si impegna a rendere questo servizio accessibile, secondo la legge 4/2004 e le linee guida AgID. Le pagine seguono le WCAG 2.1 di livello AA, funzionano senza JavaScript, con la sola tastiera e su schermi da 360 pixel, e sono verificate automaticamente a ogni modifica.',
    'legal.accessibility.feedback': 'Hai trovato un ostacolo? Segnalacelo attraverso la pagina di assistenza.',
  },
  {
    'legal.notes.title': 'Legal notes',
    'legal.notes.body': 'The contents of this site are published by the administration that owns the service, {administration}. Texts and data may be reused citing the source, unless stated otherwise. Trademarks and logos belong to their owners.',
    'legal.privacy.title': 'Privacy',
    'legal.privacy.body': 'The data controller is {administration}. We process your codice fiscale, your contacts and the documents you send only to give you access to the services and to help you recover your credentials (art. 6(1)(e) of Regulation (EU) 2016/679). The documents of assistance requests are deleted when the request is closed. You can exercise your rights by writing to the assistance desk.',
    'legal.accessibility.title': 'Accessibility statement',
    'legal.accessibility.body': '{administration} is committed to making this service accessible, under Italian law 4/2004 and the AgID guidelines. The pages follow WCAG 2.1 level AA, work without JavaScript, with the keyboard alone and on 360-pixel screens, and are checked automatically at every change.',
    'legal.accessibility.feedback': 'Found a barrier? Tell us through the assistance page.',
  },
  {
    'legal.notes.title': 'Note juridice',
    'legal.notes.body': 'Conținutul acestui site este publicat de administrația care deține serviciul, {administration}. Textele și datele pot fi reutilizate cu citarea sursei, dacă nu se precizează altfel. Mărcile și siglele aparțin titularilor lor.',
    'legal.privacy.title': 'Confidențialitate',
    'legal.privacy.body': 'Operatorul de date este {administration}. Prelucrăm codul fiscal, datele de contact și documentele pe care ni le trimiți doar pentru a-ți oferi acces la servicii și pentru a te ajuta să îți recuperezi datele de autentificare (art. 6 alin. (1) lit. (e) din Regulamentul (UE) 2016/679). Documentele cererilor de asistență sunt șterse când cererea este închisă. Îți poți exercita drepturile scriind serviciului de asistență.',
    'legal.accessibility.title': 'Declarație de accesibilitate',
    'legal.accessibility.body': '{administration} se angajează să facă acest serviciu accesibil, conform legii italiene 4/2004 și ghidurilor AgID. Paginile respectă WCAG 2.1 nivel AA, funcționează fără JavaScript, doar cu tastatura și pe ecrane de 360 de pixeli și sunt verificate automat la fiecare modificare.',
    'legal.accessibility.feedback': 'Ai găsit un obstacol? Spune-ne prin pagina de asistență.',
  },
);
