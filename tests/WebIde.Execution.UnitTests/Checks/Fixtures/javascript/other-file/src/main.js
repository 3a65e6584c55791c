require('./other');
